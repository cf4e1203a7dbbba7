import { ConfigError, loadConfig } from "../../src/config";

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      production: false,
      port: 4000,
      databaseUrl: "postgresql://postgres@127.0.0.1:5432/auth",
      redisUrl: "redis://127.0.0.1:6379/0",
      accessTokenTtl: 900,
      refreshTokenTtl: 1209600,
      refreshReuseGrace: 10,
      loginAttemptsPerEmail: 10,
      authAttemptsPerIp: 300,
      trustProxy: 0,
      admin: undefined,
      password: { memoryKiB: 19456, timeCost: 2, parallelism: 1, pepper: undefined },
    });
    expect(config.jwt.generatedSecret).toBe(true);
    expect(Object.isFrozen(config) && Object.isFrozen(config.jwt)).toBe(true);
  });

  it("reads every variable of the contract", () => {
    const config = loadConfig({
      PORT: "8080",
      DATABASE_URL: "postgres://db.internal:5432/auth",
      REDIS_URL: "redis://cache:6380/2",
      JWT_SECRET: "s".repeat(32),
      JWT_SECRET_PREVIOUS: "p".repeat(40),
      PASSWORD_PEPPER: "pepper-pepper-pepper",
      ACCESS_TOKEN_TTL: "60",
      REFRESH_TOKEN_TTL: "3600",
      REFRESH_REUSE_GRACE: "0",
      ADMIN_EMAIL: " Boss@Example.COM ",
      ADMIN_PASSWORD: "boss password",
      LOGIN_ATTEMPTS_PER_EMAIL: "3",
      AUTH_ATTEMPTS_PER_IP: "50",
      TRUST_PROXY: "2",
      NODE_ENV: "production",
    });
    expect(config).toMatchObject({
      env: "production",
      production: true,
      port: 8080,
      databaseUrl: "postgres://db.internal:5432/auth",
      redisUrl: "redis://cache:6380/2",
      jwt: { secret: "s".repeat(32), previousSecret: "p".repeat(40), generatedSecret: false },
      accessTokenTtl: 60,
      refreshTokenTtl: 3600,
      refreshReuseGrace: 0,
      admin: { email: "boss@example.com", password: "boss password" },
      loginAttemptsPerEmail: 3,
      authAttemptsPerIp: 50,
      trustProxy: 2,
      password: { pepper: "pepper-pepper-pepper" },
    });
  });

  it.each([
    [{ PORT: "70000" }, "Invalid configuration: PORT must be at most 65535"],
    [{ PORT: "eighty" }, "Invalid configuration: PORT must be a whole number"],
    [{ ACCESS_TOKEN_TTL: "0" }, "Invalid configuration: ACCESS_TOKEN_TTL must be at least 1"],
    [{ REFRESH_TOKEN_TTL: "1.5" }, "Invalid configuration: REFRESH_TOKEN_TTL must be a whole number"],
    [{ REFRESH_REUSE_GRACE: "-1" }, "Invalid configuration: REFRESH_REUSE_GRACE must be a whole number"],
    [{ LOGIN_ATTEMPTS_PER_EMAIL: "0" }, "Invalid configuration: LOGIN_ATTEMPTS_PER_EMAIL must be at least 1"],
    [{ AUTH_ATTEMPTS_PER_IP: "many" }, "Invalid configuration: AUTH_ATTEMPTS_PER_IP must be a whole number"],
    [{ TRUST_PROXY: "-1" }, "Invalid configuration: TRUST_PROXY must be a whole number"],
    [{ REDIS_URL: "http://cache" }, "Invalid configuration: REDIS_URL must be a redis:// URL"],
    [{ DATABASE_URL: "not a url" }, "Invalid configuration: DATABASE_URL must be a postgresql:// URL"],
    [{ NODE_ENV: "staging" }, "Invalid configuration: NODE_ENV"],
    [{ ADMIN_EMAIL: "boss@example.com" }, "Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together"],
    [{ ADMIN_EMAIL: "boss", ADMIN_PASSWORD: "boss password" }, "Invalid configuration: ADMIN_EMAIL must be an email address"],
    [{ ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD: "short" }, "Invalid configuration: ADMIN_PASSWORD must be at least 8 characters"],
  ])("refuses %j with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", JWT_SECRET: "" }).port).toBe(4000);
  });

  it("never echoes a secret's value in its error", () => {
    expect(() => loadConfig({ JWT_SECRET: "short-secret-value" })).toThrow(/^Invalid configuration: JWT_SECRET must be at least 32 bytes$/);
  });
});
