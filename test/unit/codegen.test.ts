import { execFile } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const root = join(__dirname, "..", "..");
const operationsFolder = join(root, "examples", "operations");
const codegenBin = join(root, "node_modules", ".bin", "graphql-codegen");

/** The contract's operations, each of which must have an example document. */
const CONTRACT_OPERATIONS = ["register", "login", "refresh", "logout", "me", "users", "setUserRoles"];

/** Runs `graphql-codegen --check` in `cwd`: exit 0 when the committed output is what codegen.ts produces. */
async function codegenCheck(cwd: string): Promise<{ exitCode: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(codegenBin, ["--config", "codegen.ts", "--check"], { cwd });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("typed client documents (codegen.ts)", () => {
  // Codegen runs jiti, graphql-tools and the preset in a child process (the CLI is ESM inside, which jest cannot load).
  jest.setTimeout(60_000);

  it("clients/generated/ is what `npm run codegen` produces (run it and commit the result if this fails)", async () => {
    const { exitCode, output } = await codegenCheck(root);
    expect({ exitCode, output: exitCode === 0 ? "" : output }).toEqual({ exitCode: 0, output: "" });
  });

  it("the check fails when a committed file is stale", async () => {
    const copy = mkdtempSync(join(tmpdir(), "codegen-check-"));
    try {
      for (const shared of ["schema", "examples", "node_modules"]) symlinkSync(join(root, shared), join(copy, shared));
      cpSync(join(root, "codegen.ts"), join(copy, "codegen.ts"));
      cpSync(join(root, "clients", "generated"), join(copy, "clients", "generated"), { recursive: true });
      appendFileSync(join(copy, "clients", "generated", "graphql.ts"), "export type Stale = true;\n");
      const { exitCode, output } = await codegenCheck(copy);
      expect(exitCode).toBe(1);
      expect(output).toContain("clients/generated/graphql.ts");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("has one example operation per contract operation", () => {
    const rootFields = readdirSync(operationsFolder)
      .filter((name) => name.endsWith(".graphql"))
      .map((name) => /^(?:query|mutation) \w+[^{]*\{\s*(\w+)/m.exec(readFileSync(join(operationsFolder, name), "utf8"))?.[1]);
    expect(rootFields.sort()).toEqual([...CONTRACT_OPERATIONS].sort());
  });
});
