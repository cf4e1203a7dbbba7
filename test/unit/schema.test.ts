import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, findBreakingChanges } from "graphql";
import { printAppSchema } from "../../src/schema";

const committedPath = join(__dirname, "..", "..", "schema", "schema.graphql");
const contractPath = join(__dirname, "..", "..", "..", "shared", "contract", "core.graphql");

describe("schema/schema.graphql", () => {
  it("is what `npm run schema` generates from the code (run it and commit the result if this fails)", async () => {
    expect(readFileSync(committedPath, "utf8")).toBe(await printAppSchema());
  });

  it("keeps the contract core with no breaking change", () => {
    const contract = buildSchema(readFileSync(contractPath, "utf8"));
    const committed = buildSchema(readFileSync(committedPath, "utf8"));
    expect(findBreakingChanges(contract, committed)).toEqual([]);
  });

  it("would catch a breaking change (the check can fail)", () => {
    const contract = buildSchema(readFileSync(contractPath, "utf8"));
    const broken = buildSchema(readFileSync(committedPath, "utf8").replace("refreshToken: String!\n", "refreshToken: String\n"));
    expect(findBreakingChanges(contract, broken).map((change) => change.type)).toContain("FIELD_CHANGED_KIND");
  });
});
