import { OWASP_ARGON2_MINIMUM } from "../../src/config";
import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { login, registerUser } from "../helpers/operations";

const PEPPER = "a-pepper-that-lives-outside-the-database";

async function storedHash(server: TestApp, userId: string): Promise<string> {
  const [row] = await server.orm.em.getConnection().execute("select password_hash from users where id = ?", [userId]);
  return row.password_hash;
}

describe("password storage", () => {
  let peppered: TestApp;
  let withoutPepper: TestApp;
  let otherPepper: TestApp;

  beforeAll(async () => {
    peppered = await createTestApp({ env: { PASSWORD_PEPPER: PEPPER } });
    withoutPepper = await createTestApp({ sharing: peppered });
    otherPepper = await createTestApp({ sharing: peppered, env: { PASSWORD_PEPPER: "another-pepper-of-enough-length" } });
  });

  afterAll(async () => {
    await otherPepper.close();
    await withoutPepper.close();
    await peppered.close();
  });

  it("mixes PASSWORD_PEPPER into the hash: the hash alone, without the pepper, verifies nothing", async () => {
    const registered = await registerUser(peppered.client);
    const hash = await storedHash(peppered, registered.user.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(PEPPER);
    expect(hash).not.toContain(Buffer.from(PEPPER).toString("base64").replace(/=+$/, ""));

    expect(errorCode(await login(withoutPepper.client, registered.user.email))).toBe("INVALID_CREDENTIALS");
    expect(errorCode(await login(otherPepper.client, registered.user.email))).toBe("INVALID_CREDENTIALS");
    expect((await login(peppered.client, registered.user.email)).errors).toBeUndefined();
  });

  it("hashes with argon2id at OWASP's minimum by default", async () => {
    // No argon2 variables: the defaults that production starts with.
    const defaults = await createTestApp({ env: { ARGON2_MEMORY_KIB: undefined, ARGON2_TIME_COST: undefined } });
    try {
      const registered = await registerUser(defaults.client);
      const { memoryKiB, timeCost, parallelism } = OWASP_ARGON2_MINIMUM;
      expect(await storedHash(defaults, registered.user.id)).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryKiB},p=${parallelism},t=${timeCost}\\$`));
    } finally {
      await defaults.close();
    }
  });
});
