import { OWASP_ARGON2_MINIMUM } from "../../src/config";
import { createTestApp, type TestApp } from "../helpers/test-app";
import type { GraphQLResponse } from "../helpers/graphql-client";
import { forgeJwt } from "../helpers/forge";
import { decodeJwt } from "../helpers/jwt";
import { LOGIN, login, me, REGISTER, registerUser, SET_USER_ROLES, TEST_PASSWORD, uniqueEmail, USERS } from "../helpers/operations";

const ADMIN_EMAIL = "admin@example.com";
const ADMIN_PASSWORD = "admin password for production tests";
/** Text that would betray SQL, ioredis, jsonwebtoken or Node internals. */
const INTERNAL_TEXT = /select |insert |relation|postgres|mikro|knex|ioredis|redis|stream isn't writeable|connection is closed|ECONNREFUSED|jwt |invalid signature|JsonWebTokenError|at .+\.(js|ts):\d+|node_modules/i;

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp({
    env: {
      NODE_ENV: "production",
      ARGON2_MEMORY_KIB: String(OWASP_ARGON2_MINIMUM.memoryKiB),
      ARGON2_TIME_COST: String(OWASP_ARGON2_MINIMUM.timeCost),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      LOG_LEVEL: "silent",
    },
  });
});

afterAll(async () => {
  await server.close();
});

/** Every error of a response: a contract code, and nothing internal in message or extensions. */
function expectNothingInternal(response: GraphQLResponse<unknown>): void {
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors!) {
    expect(error.message).not.toMatch(INTERNAL_TEXT);
    expect(error.message).not.toMatch(/Did you mean/);
    expect(Object.keys(error.extensions ?? {}).filter((key) => !["code", "reason", "retryAfter", "field"].includes(key))).toEqual([]);
    expect(JSON.stringify(error)).not.toMatch(/stacktrace|exception/i);
  }
}

describe("in production", () => {
  it("runs with NODE_ENV=production", () => {
    expect(server.config.production).toBe(true);
  });

  it.each([
    ["__schema", "{ __schema { types { name } } }"],
    ["__type", '{ __type(name: "User") { fields { name } } }'],
  ])("refuses introspection through %s", async (_case, query) => {
    const response = await server.client.request(query);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors!.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expectNothingInternal(response);
  });

  it.each([
    ["a misspelt field", "{ mee { id } }"],
    ["a misspelt mutation", "mutation { logn(input: { email: \"a@example.com\", password: \"whatever-pass\" }) { accessToken } }"],
    ["a misspelt argument", "{ users(limt: 5) { id } }"],
    ["a misspelt enum value", 'mutation { setUserRoles(userId: "x", roles: [ADMN]) { id } }'],
    ["a misspelt input field", 'mutation { login(input: { emial: "a@example.com", password: "whatever-pass" }) { accessToken } }'],
    ["a misspelt type in a fragment", "{ me { ...F } } fragment F on Usr { id }"],
  ])("gives no suggestions for %s", async (_case, query) => {
    const response = await server.client.request(query);
    expect(response.errors!.map((error) => error.extensions?.code)).toEqual(response.errors!.map(() => "BAD_USER_INPUT"));
    expectNothingInternal(response);
  });

  it("gives no suggestions for a misspelt field in variables", async () => {
    const response = await server.client.request(LOGIN, { variables: { input: { emial: "a@example.com", password: "whatever-pass" } } });
    expect(response.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    expectNothingInternal(response);
  });

  it("answers a PostgreSQL failure with a bare INTERNAL_SERVER_ERROR: no SQL, no stack", async () => {
    const connection = server.orm.em.getConnection();
    await connection.execute("alter table users rename to users_away");
    let response: GraphQLResponse<unknown>;
    try {
      response = await server.client.request(REGISTER, { variables: { input: { email: uniqueEmail(), password: TEST_PASSWORD } } });
    } finally {
      await connection.execute("alter table users_away rename to users");
    }
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } })]);
    expectNothingInternal(response);
  });

  it("answers a lost Redis with a bare SERVICE_UNAVAILABLE: no ioredis text", async () => {
    const registered = await registerUser(server.client);
    server.redis.disconnect();
    let responses: GraphQLResponse<unknown>[];
    try {
      responses = [await me(server.client, registered.accessToken), await login(server.client, registered.user.email)];
    } finally {
      await server.redis.connect();
    }
    for (const response of responses) {
      expect(response.data).toBeNull();
      expect(response.errors![0].extensions).toEqual({ code: "SERVICE_UNAVAILABLE" });
      expectNothingInternal(response);
    }
  });

  it("never echoes the JWT library's text for a bad token", async () => {
    const registered = await registerUser(server.client);
    const { header, payload } = decodeJwt(registered.accessToken);
    for (const token of [`${registered.accessToken}x`, forgeJwt(header, { ...payload, exp: "tomorrow" }, "some-other-secret-of-32-bytes-or-more"), "a.b.c", "x".repeat(5000)]) {
      const response = await me(server.client, token);
      expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
      expectNothingInternal(response);
    }
  });
});

describe("@Authorized(\"ADMIN\") in production", () => {
  it("answers UNAUTHENTICATED without a token, not type-graphql's own code", async () => {
    for (const response of [
      await server.client.request(USERS),
      await server.client.request(SET_USER_ROLES, { variables: { userId: "0b8f6c1e-6f0e-4d2a-9d8a-3f1c2b7e9a10", roles: ["ADMIN"] } }),
    ]) {
      expect(response.data).toBeNull();
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_MISSING" });
    }
  });

  it("answers FORBIDDEN to a signed-in USER, and serves an ADMIN", async () => {
    const registered = await registerUser(server.client);
    const asUser = [
      await server.client.request(USERS, { token: registered.accessToken }),
      await server.client.request(SET_USER_ROLES, { token: registered.accessToken, variables: { userId: registered.user.id, roles: ["ADMIN", "USER"] } }),
    ];
    for (const response of asUser) {
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([expect.objectContaining({ message: "You do not have the role this operation needs", extensions: { code: "FORBIDDEN" } })]);
    }

    const admin = await login(server.client, ADMIN_EMAIL, ADMIN_PASSWORD);
    const listed = await server.client.request<{ users: { id: string }[] }>(USERS, { token: admin.data!.login.accessToken });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.users.map((user) => user.id)).toContain(registered.user.id);
  });
});
