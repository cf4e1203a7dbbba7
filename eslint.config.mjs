import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "src/migrations/", "clients/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-console": "error",
    },
  },
  { files: ["**/*.js", "**/*.cjs"], languageOptions: { globals: { module: "writable", require: "readonly", __dirname: "readonly", process: "readonly" } }, rules: { "@typescript-eslint/no-require-imports": "off" } },
  // The playground's boot script runs in the browser beside the UMD builds it starts.
  { files: ["playground/**/*.js"], languageOptions: { sourceType: "script", globals: { window: "readonly", document: "readonly", React: "readonly", ReactDOM: "readonly", GraphiQL: "readonly" } } },
);
