import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the example operations, generated from the committed
 * schema so that clients compile against exactly what the server publishes.
 * `npm run codegen` writes clients/generated/; a unit test fails when the
 * committed output differs from what this produces.
 */
const config: CodegenConfig = {
  schema: "schema/schema.graphql",
  documents: ["examples/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "clients/generated/": {
      preset: "client",
      // No fragments in the examples, so no masking helpers to carry around.
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        // The wire format of DateTimeISO: an ISO 8601 string, parsed by the caller if needed.
        scalars: { DateTimeISO: "string" },
      },
    },
  },
};

export default config;
