import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { login, me, refresh, registerUser, SET_USER_ROLES, USERS, type AuthPayload } from "../helpers/operations";

const ADMIN_EMAIL = "Admin@Example.com";
const ADMIN_PASSWORD = "admin password 1";

let server: TestApp;
let admin: AuthPayload;

beforeAll(async () => {
  server = await createTestApp({ env: { ADMIN_EMAIL, ADMIN_PASSWORD } });
  admin = (await login(server.client, ADMIN_EMAIL, ADMIN_PASSWORD)).data!.login;
});

afterAll(async () => {
  await server.close();
});

type User = AuthPayload["user"];

function listUsers(token: string | undefined, variables: Record<string, unknown> = {}) {
  return server.client.request<{ users: User[] }>(USERS, { token, variables });
}

function setUserRoles(token: string, userId: string, roles: string[]) {
  return server.client.request<{ setUserRoles: User }>(SET_USER_ROLES, { token, variables: { userId, roles } });
}

describe("roles", () => {
  it("bootstraps the admin from ADMIN_EMAIL and ADMIN_PASSWORD", () => {
    expect(admin.user.email).toBe("admin@example.com");
    expect([...admin.user.roles].sort()).toEqual(["ADMIN", "USER"]);
  });

  it("lists users newest first to an ADMIN, with limit and offset", async () => {
    const older = await registerUser(server.client);
    const newer = await registerUser(server.client);

    const firstTwo = await listUsers(admin.accessToken, { limit: 2 });
    expect(firstTwo.errors).toBeUndefined();
    expect(firstTwo.data!.users.map((user) => user.id)).toEqual([newer.user.id, older.user.id]);
    expect(firstTwo.data!.users[0]).toEqual(newer.user);

    const second = await listUsers(admin.accessToken, { limit: 1, offset: 1 });
    expect(second.data!.users.map((user) => user.id)).toEqual([older.user.id]);
  });

  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: 101 }, "limit"],
    [{ offset: -1 }, "offset"],
  ])("refuses the page %j with BAD_USER_INPUT naming %s", async (variables, field) => {
    const response = await listUsers(admin.accessToken, variables);
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors![0].message).toMatch(new RegExp(`^${field}: `));
  });

  it("answers UNAUTHENTICATED for ADMIN operations without a token, and FORBIDDEN for a USER", async () => {
    const user = await registerUser(server.client);

    const anonymous = await listUsers(undefined);
    expect(anonymous.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_MISSING" });
    const forbidden = await listUsers(user.accessToken);
    expect(forbidden.data).toBeNull();
    expect(forbidden.errors![0].extensions).toEqual({ code: "FORBIDDEN" });
    const forbiddenMutation = await setUserRoles(user.accessToken, user.user.id, ["ADMIN"]);
    expect(errorCode(forbiddenMutation)).toBe("FORBIDDEN");
    expect((await me(server.client, user.accessToken)).data!.me.roles).toEqual(["USER"]);
  });

  it("grants a role that works at once, even with tokens issued before", async () => {
    const user = await registerUser(server.client);
    const granted = await setUserRoles(admin.accessToken, user.user.id, ["USER", "ADMIN", "ADMIN"]);

    expect(granted.errors).toBeUndefined();
    expect(granted.data!.setUserRoles).toEqual({ ...user.user, roles: ["ADMIN", "USER"] });
    expect((await listUsers(user.accessToken)).errors).toBeUndefined();
    expect((await me(server.client, user.accessToken)).data!.me.roles).toEqual(["ADMIN", "USER"]);
  });

  it("removes a role at once, also for tokens already issued and for the pair a refresh returns", async () => {
    const user = await registerUser(server.client);
    await setUserRoles(admin.accessToken, user.user.id, ["USER", "ADMIN"]);
    const adminPair = (await refresh(server.client, user.refreshToken)).data!.refresh;
    expect((await listUsers(adminPair.accessToken)).errors).toBeUndefined();

    await setUserRoles(admin.accessToken, user.user.id, ["USER"]);

    expect(errorCode(await listUsers(adminPair.accessToken))).toBe("FORBIDDEN");
    expect((await me(server.client, adminPair.accessToken)).data!.me.roles).toEqual(["USER"]);
    const afterRefresh = (await refresh(server.client, adminPair.refreshToken)).data!.refresh;
    expect(afterRefresh.user.roles).toEqual(["USER"]);
    expect(errorCode(await listUsers(afterRefresh.accessToken))).toBe("FORBIDDEN");
  });

  it("refuses an unknown or malformed user id with BAD_USER_INPUT", async () => {
    expect(errorCode(await setUserRoles(admin.accessToken, "00000000-0000-4000-8000-000000000000", ["USER"]))).toBe("BAD_USER_INPUT");
    expect(errorCode(await setUserRoles(admin.accessToken, "not-a-uuid", ["USER"]))).toBe("BAD_USER_INPUT");
  });

  it("on restart keeps the admin's password and restores a removed ADMIN role", async () => {
    await setUserRoles(admin.accessToken, admin.user.id, ["USER"]);
    const restarted = await createTestApp({ sharing: server, env: { ADMIN_EMAIL, ADMIN_PASSWORD: "a different password" } });
    try {
      expect(errorCode(await login(restarted.client, ADMIN_EMAIL, "a different password"))).toBe("INVALID_CREDENTIALS");
      const again = await login(restarted.client, ADMIN_EMAIL, ADMIN_PASSWORD);
      expect([...again.data!.login.user.roles].sort()).toEqual(["ADMIN", "USER"]);
    } finally {
      await restarted.close();
    }
  });
});

describe("admin bootstrap", () => {
  it("creates one admin when several instances start at once", async () => {
    const email = "race-admin@example.com";
    const first = await createTestApp();
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => first.app.services.users.ensureAdmin(first.orm.em.fork(), { email, password: ADMIN_PASSWORD })),
      );
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      const ids = new Set(results.map((result) => (result as PromiseFulfilledResult<{ id: string }>).value.id));
      expect(ids.size).toBe(1);
      const [{ count }] = await first.orm.em.getConnection().execute("select count(*)::int as count from users where email = ?", [email]);
      expect(count).toBe(1);
    } finally {
      await first.close();
    }
  });
});
