import jwt from "jsonwebtoken";
import { createTestApp, TEST_JWT_SECRET, type TestApp } from "../helpers/test-app";
import type { GraphQLResponse } from "../helpers/graphql-client";
import { decodeJwt, sleep, withPayload } from "../helpers/jwt";
import { ME, me, refresh, registerUser } from "../helpers/operations";

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp();
});

afterAll(async () => {
  await server.close();
});

function expectUnauthenticated(response: GraphQLResponse<unknown>, reason: string): void {
  expect(response.data).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason });
}

describe("access and refresh tokens", () => {
  it("are HS256 JWTs with the contract's claims, a kid, and a claim telling access from refresh", async () => {
    const registered = await registerUser(server.client);
    const access = decodeJwt(registered.accessToken);
    const refreshToken = decodeJwt(registered.refreshToken);

    expect(access.header).toEqual({ alg: "HS256", typ: "JWT", kid: expect.any(String) });
    expect(access.payload).toEqual({
      sub: registered.user.id,
      sid: expect.any(String),
      jti: expect.any(String),
      typ: "access",
      roles: ["USER"],
      email: registered.user.email,
      createdAt: registered.user.createdAt,
      iat: expect.any(Number),
      exp: (access.payload.iat as number) + 900,
      iss: "graphql-auth-service",
      aud: "graphql-auth-service",
    });
    expect(refreshToken.payload).toMatchObject({ typ: "refresh", sub: registered.user.id, sid: access.payload.sid, exp: (access.payload.iat as number) + 1209600 });
    expect(refreshToken.payload.jti).not.toBe(access.payload.jti);
  });

  it("are never stored: session rows hold token ids only", async () => {
    const registered = await registerUser(server.client);
    const rows = await server.orm.em.getConnection().execute("select * from sessions s join users u on u.id = s.user_id where u.id = ?", [registered.user.id]);
    const dump = JSON.stringify(rows);
    for (const token of [registered.accessToken, registered.refreshToken]) {
      for (const part of token.split(".")) expect(dump).not.toContain(part);
    }
    expect(rows[0].refresh_jti).toBe(decodeJwt(registered.refreshToken).payload.jti);
  });

  it("answers TOKEN_MISSING without an Authorization header", async () => {
    expectUnauthenticated(await me(server.client), "TOKEN_MISSING");
  });

  it.each([
    ["no space after Bearer", (token: string) => `Bearer${token}`],
    ["another scheme", (token: string) => `Basic ${token}`],
    ["a bare token", (token: string) => token],
    ["Bearer with nothing after it", () => "Bearer "],
    ["two tokens", (token: string) => `Bearer ${token} ${token}`],
  ])("answers MALFORMED_AUTH_HEADER for %s", async (_case, header) => {
    const registered = await registerUser(server.client);
    const response = await server.client.request(ME, { headers: { authorization: header(registered.accessToken) } });
    expectUnauthenticated(response, "MALFORMED_AUTH_HEADER");
  });

  it("accepts the scheme in any case", async () => {
    const registered = await registerUser(server.client);
    const response = await server.client.request(ME, { headers: { authorization: `bearer ${registered.accessToken}` } });
    expect(response.errors).toBeUndefined();
  });

  it("answers TOKEN_EXPIRED once the access token's lifetime has passed", async () => {
    const shortLived = await createTestApp({ env: { ACCESS_TOKEN_TTL: "1" } });
    try {
      const registered = await registerUser(shortLived.client);
      expect(registered.expiresIn).toBe(1);
      expect((await me(shortLived.client, registered.accessToken)).errors).toBeUndefined();
      await sleep(2100);
      expectUnauthenticated(await me(shortLived.client, registered.accessToken), "TOKEN_EXPIRED");
    } finally {
      await shortLived.close();
    }
  });

  it.each([
    ["signed with another secret", (token: string) => jwt.sign(decodeJwt(token).payload, "another-secret-that-is-also-32-bytes-long", { header: { alg: "HS256", kid: decodeJwt(token).header.kid } as jwt.JwtHeader })],
    ["with alg none", (token: string) => `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", kid: decodeJwt(token).header.kid })).toString("base64url")}.${token.split(".")[1]}.`],
    ["with roles changed to ADMIN", (token: string) => withPayload(token, { ...decodeJwt(token).payload, roles: ["ADMIN", "USER"] })],
    ["that is not a JWT", () => "not-a-jwt"],
  ])("answers TOKEN_INVALID for a token %s", async (_case, forge) => {
    const registered = await registerUser(server.client);
    expectUnauthenticated(await me(server.client, forge(registered.accessToken)), "TOKEN_INVALID");
  });

  it("refuses a refresh token used as an access token, and an access token used as a refresh token", async () => {
    const registered = await registerUser(server.client);
    expectUnauthenticated(await me(server.client, registered.refreshToken), "TOKEN_INVALID");
    expectUnauthenticated(await refresh(server.client, registered.accessToken), "TOKEN_INVALID");
  });

  it("signs with the configured secret: re-signing the same claims with it gives the same token", async () => {
    const registered = await registerUser(server.client);
    const { payload, header } = decodeJwt(registered.accessToken);
    const resigned = jwt.sign(payload, TEST_JWT_SECRET, { header: { alg: "HS256", kid: header.kid } as jwt.JwtHeader });
    expect(resigned).toBe(registered.accessToken);
  });

  it("never echoes the JWT library's own messages", async () => {
    const registered = await registerUser(server.client);
    const response = await me(server.client, withPayload(registered.accessToken, { ...decodeJwt(registered.accessToken).payload, exp: "soon" }));
    expect(response.errors![0].message).toBe("Invalid token");
  });
});
