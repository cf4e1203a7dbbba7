import { ConfigError, loadConfig, OWASP_ARGON2_MINIMUM } from "../../src/config";
import { PasswordHasher } from "../../src/passwords/password.hasher";

const SECRET_32_BYTES = "x".repeat(32);

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("secrets in configuration", () => {
  it.each(["JWT_SECRET", "JWT_SECRET_PREVIOUS"])("refuses a %s shorter than 32 bytes, counting bytes not characters", (name) => {
    expect(configError({ JWT_SECRET: SECRET_32_BYTES, [name]: "x".repeat(31) })).toMatch(new RegExp(`^Invalid configuration: ${name} must be at least 32 bytes`));
    expect(configError({ JWT_SECRET: SECRET_32_BYTES, [name]: "é".repeat(15) })).toMatch(name);
    expect(() => loadConfig({ JWT_SECRET: SECRET_32_BYTES, [name]: "é".repeat(16) })).not.toThrow();
  });

  it("requires JWT_SECRET in production, and generates a per-process one elsewhere", () => {
    expect(configError({ NODE_ENV: "production" })).toMatch(/JWT_SECRET is required in production/);
    const first = loadConfig({ NODE_ENV: "development" });
    const second = loadConfig({ NODE_ENV: "development" });
    expect(first.jwt.generatedSecret).toBe(true);
    expect(Buffer.byteLength(first.jwt.secret)).toBeGreaterThanOrEqual(32);
    expect(first.jwt.secret).not.toBe(second.jwt.secret);
  });

  it("keeps the previous secret for verification beside the current one", () => {
    const config = loadConfig({ JWT_SECRET: SECRET_32_BYTES, JWT_SECRET_PREVIOUS: "y".repeat(32) });
    expect(config.jwt).toMatchObject({ secret: SECRET_32_BYTES, previousSecret: "y".repeat(32), generatedSecret: false });
  });

  it("refuses a PASSWORD_PEPPER shorter than 16 characters", () => {
    expect(configError({ PASSWORD_PEPPER: "short" })).toMatch(/^Invalid configuration: PASSWORD_PEPPER/);
  });
});

describe("argon2 parameters", () => {
  it.each(["production", "development"])("are never below OWASP's minimum with NODE_ENV=%s", (nodeEnv) => {
    const base = { NODE_ENV: nodeEnv, JWT_SECRET: SECRET_32_BYTES };
    expect(configError({ ...base, ARGON2_MEMORY_KIB: String(OWASP_ARGON2_MINIMUM.memoryKiB - 1) })).toMatch(/ARGON2_MEMORY_KIB must be at least 19456/);
    expect(configError({ ...base, ARGON2_TIME_COST: "1" })).toMatch(/ARGON2_TIME_COST must be at least 2/);
    expect(configError({ ...base, ARGON2_PARALLELISM: "0" })).toMatch(/ARGON2_PARALLELISM/);
    expect(loadConfig(base).password).toMatchObject({ memoryKiB: 19456, timeCost: 2, parallelism: 1 });
  });

  it("may be cheap only with NODE_ENV=test", () => {
    expect(loadConfig({ NODE_ENV: "test", ARGON2_MEMORY_KIB: "1024", ARGON2_TIME_COST: "1" }).password).toMatchObject({ memoryKiB: 1024, timeCost: 1 });
  });
});

describe("password pepper", () => {
  const cheap = { memoryKiB: 1024, timeCost: 1, parallelism: 1, concurrency: 1 };

  it("makes hashes that verify only with the same pepper", async () => {
    const peppered = new PasswordHasher({ ...cheap, pepper: "pepper-number-one-long-enough" });
    const hash = await peppered.hash("correct horse battery staple");

    expect(await peppered.verifyOrDummy(hash, "correct horse battery staple")).toBe(true);
    expect(await new PasswordHasher(cheap).verifyOrDummy(hash, "correct horse battery staple")).toBe(false);
    expect(await new PasswordHasher({ ...cheap, pepper: "pepper-number-two-long-enough" }).verifyOrDummy(hash, "correct horse battery staple")).toBe(false);
  });

  it("answers false for an unknown account whatever the password", async () => {
    const hasher = new PasswordHasher({ ...cheap, pepper: "pepper-number-one-long-enough" });
    expect(await hasher.verifyOrDummy(undefined, "correct horse battery staple")).toBe(false);
    expect(await hasher.verifyOrDummy(undefined, "")).toBe(false);
  });
});
