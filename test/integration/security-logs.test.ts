import { createLogger } from "../../src/logging/logger";
import { createTestApp, TEST_JWT_SECRET, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { decodeJwt, sleep } from "../helpers/jwt";
import { login, LOGOUT, me, refresh, registerUser, SET_USER_ROLES, TEST_PASSWORD, uniqueEmail, type AuthPayload } from "../helpers/operations";

const PEPPER = "pepper-kept-outside-the-database";
const ADMIN_EMAIL = "log-admin@example.com";
const ADMIN_PASSWORD = "admin password that must not be logged";
const WRONG_PASSWORD = "a wrong password that must not be logged";

type LogLine = Record<string, unknown>;
const lines: string[] = [];
let server: TestApp;

beforeAll(async () => {
  const logger = createLogger({ level: "info", production: false, destination: { write: (line: string) => void lines.push(line) } });
  server = await createTestApp({
    logger,
    env: { PASSWORD_PEPPER: PEPPER, ADMIN_EMAIL, ADMIN_PASSWORD, LOGIN_ATTEMPTS_PER_EMAIL: "2", REFRESH_REUSE_GRACE: "0" },
  });
});

afterAll(async () => {
  await server.close();
});

function securityEvents(event: string): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.security === true && line.event === event);
}

describe("logs of a full session at info level", () => {
  const secrets: string[] = [];
  let user: AuthPayload;
  let loggedIn: AuthPayload;
  let admin: AuthPayload;
  let unknownEmail: string;

  beforeAll(async () => {
    user = await registerUser(server.client);
    loggedIn = (await login(server.client, user.user.email)).data!.login;
    expect((await me(server.client, loggedIn.accessToken)).errors).toBeUndefined();
    const rotated = (await refresh(server.client, loggedIn.refreshToken)).data!.refresh;
    expect((await server.client.request(LOGOUT, { token: rotated.accessToken })).errors).toBeUndefined();

    expect(errorCode(await login(server.client, user.user.email, WRONG_PASSWORD))).toBe("INVALID_CREDENTIALS");
    unknownEmail = uniqueEmail("unknown");
    expect(errorCode(await login(server.client, unknownEmail, WRONG_PASSWORD))).toBe("INVALID_CREDENTIALS");
    expect(errorCode(await login(server.client, user.user.email, WRONG_PASSWORD))).toBe("INVALID_CREDENTIALS");
    expect(errorCode(await login(server.client, user.user.email))).toBe("TOO_MANY_REQUESTS");

    // A spent refresh token presented after the (zero) grace window ends its session.
    const reuser = await registerUser(server.client);
    expect((await refresh(server.client, reuser.refreshToken)).errors).toBeUndefined();
    await sleep(20);
    expect(errorCode(await refresh(server.client, reuser.refreshToken))).toBe("UNAUTHENTICATED");

    admin = (await login(server.client, ADMIN_EMAIL, ADMIN_PASSWORD)).data!.login;
    const changed = await server.client.request(SET_USER_ROLES, { token: admin.accessToken, variables: { userId: reuser.user.id, roles: ["ADMIN", "USER"] } });
    expect(changed.errors).toBeUndefined();

    for (const payload of [user, loggedIn, rotated, reuser, admin]) {
      for (const token of [payload.accessToken, payload.refreshToken]) secrets.push(token, ...token.split(".").slice(1));
    }
    secrets.push(TEST_PASSWORD, WRONG_PASSWORD, ADMIN_PASSWORD, TEST_JWT_SECRET, PEPPER);
  });

  it("were written at all (the capture works)", () => {
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.join("")).toContain(user.user.id);
  });

  it("hold no password, token, signing secret, pepper or password hash", () => {
    const everything = lines.join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/\$argon2id\$/);
  });

  it("record each login success with user, session, IP and outcome", () => {
    const successes = securityEvents("login").filter((event) => event.outcome === "success");
    expect(successes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: user.user.id, sessionId: decodeJwt(loggedIn.accessToken).payload.sid, ip: "127.0.0.1" }),
        expect.objectContaining({ userId: admin.user.id, sessionId: decodeJwt(admin.accessToken).payload.sid, ip: "127.0.0.1" }),
      ]),
    );
  });

  it("record each login failure, for a known and an unknown email, and each rate-limited login", () => {
    const events = securityEvents("login");
    expect(events.filter((event) => event.outcome === "failure" && event.userId === user.user.id && event.ip === "127.0.0.1")).toHaveLength(2);
    expect(events.filter((event) => event.outcome === "failure" && event.userId === undefined && event.ip === "127.0.0.1")).toHaveLength(1);
    expect(events.filter((event) => event.outcome === "refused" && event.ip === "127.0.0.1")).toHaveLength(1);
    // The addresses tried are not logged: an unknown email is often a mistyped password.
    expect(lines.join("\n")).not.toContain(unknownEmail);
  });

  it("record the logout with user, session, IP and outcome", () => {
    expect(securityEvents("logout")).toEqual([
      expect.objectContaining({ outcome: "success", userId: user.user.id, sessionId: decodeJwt(loggedIn.accessToken).payload.sid, ip: "127.0.0.1" }),
    ]);
  });

  it("record the refresh reuse that ended a session", () => {
    const [reuse] = securityEvents("refresh.reuse");
    expect(reuse).toEqual(expect.objectContaining({ outcome: "refused", userId: expect.any(String), sessionId: expect.any(String), ip: "127.0.0.1" }));
    expect(reuse.userId).not.toBe(user.user.id);
  });

  it("record the role change with the account changed, the admin and the admin's session", () => {
    expect(securityEvents("roles.change")).toEqual([
      expect.objectContaining({
        outcome: "success",
        userId: expect.any(String),
        actorId: admin.user.id,
        sessionId: decodeJwt(admin.accessToken).payload.sid,
        ip: "127.0.0.1",
        roles: ["ADMIN", "USER"],
      }),
    ]);
  });
});
