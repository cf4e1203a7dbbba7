import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { createTestApp, TEST_JWT_SECRET, type TestApp } from "../helpers/test-app";
import type { GraphQLResponse } from "../helpers/graphql-client";
import { forgeJwt, unsignedJwt } from "../helpers/forge";
import { decodeJwt } from "../helpers/jwt";
import { LOGIN, LOGOUT, ME, REFRESH, REGISTER, registerUser, USERS, type AuthPayload } from "../helpers/operations";

const CONTRACT_CODES = ["UNAUTHENTICATED", "FORBIDDEN", "INVALID_CREDENTIALS", "EMAIL_TAKEN", "BAD_USER_INPUT", "TOO_MANY_REQUESTS", "SERVICE_UNAVAILABLE"];
/** Text the JWT library uses in its own errors; none of it may reach a client. */
const JWT_LIBRARY_TEXT = /jwt |invalid signature|invalid algorithm|secret or public key|JsonWebTokenError|TokenExpiredError|NotBeforeError/i;

let server: TestApp;
let user: AuthPayload;
let header: Record<string, unknown>;
let claims: Record<string, unknown>;
/** A key server an attacker's jku/x5u header points at; it must never be called. */
let keyServer: Server;
let keyServerUrl: string;
let keyServerHits = 0;

beforeAll(async () => {
  server = await createTestApp({ env: { AUTH_ATTEMPTS_PER_IP: "100000" } });
  user = await registerUser(server.client);
  ({ header, payload: claims } = decodeJwt(user.accessToken));
  keyServer = createServer((_request, response) => {
    keyServerHits++;
    response.end(JSON.stringify({ keys: [{ kty: "oct", k: Buffer.from("attacker-secret").toString("base64url") }] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/keys`;
});

afterAll(async () => {
  await new Promise((resolve) => keyServer.close(resolve));
  await server.close();
});

function expectRefused(response: GraphQLResponse<unknown>, reason = "TOKEN_INVALID"): void {
  expect(response.status).toBe(200);
  expect(response.data).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason });
  expect(response.errors![0].message).not.toMatch(JWT_LIBRARY_TEXT);
}

const now = () => Math.floor(Date.now() / 1000);
const attackerSecret = "attacker-secret-of-at-least-32-bytes!!";

describe("hostile access tokens", () => {
  it("accepts a token the forging helper re-signs unchanged, so each refusal below is down to its one change", async () => {
    const resigned = forgeJwt(header, claims, TEST_JWT_SECRET);
    expect(resigned).toBe(user.accessToken);
    expect((await server.client.request(ME, { token: resigned })).data).toEqual({ me: user.user });
  });

  const cases: [string, () => string][] = [
    ["alg none without a signature", () => unsignedJwt({ ...header, alg: "none" }, claims)],
    ["alg none keeping the real signature", () => unsignedJwt({ ...header, alg: "none" }, claims, user.accessToken.split(".")[2])],
    ["alg NONE in capitals", () => unsignedJwt({ ...header, alg: "NONE" }, claims)],
    ["HS384 signed with our secret", () => forgeJwt({ ...header, alg: "HS384" }, claims, TEST_JWT_SECRET, "sha384")],
    ["HS512 signed with our secret", () => forgeJwt({ ...header, alg: "HS512" }, claims, TEST_JWT_SECRET, "sha512")],
    ["HS384 in the header over an HS256 signature", () => forgeJwt({ ...header, alg: "HS384" }, claims, TEST_JWT_SECRET)],
    ["no exp", () => forgeJwt(header, { ...claims, exp: undefined }, TEST_JWT_SECRET)],
    ["exp as a string", () => forgeJwt(header, { ...claims, exp: String(now() + 600) }, TEST_JWT_SECRET)],
    ["no iss", () => forgeJwt(header, { ...claims, iss: undefined }, TEST_JWT_SECRET)],
    ["no aud", () => forgeJwt(header, { ...claims, aud: undefined }, TEST_JWT_SECRET)],
    ["a wrong iss", () => forgeJwt(header, { ...claims, iss: "someone-else" }, TEST_JWT_SECRET)],
    ["a wrong aud", () => forgeJwt(header, { ...claims, aud: "another-api" }, TEST_JWT_SECRET)],
    ["a future nbf", () => forgeJwt(header, { ...claims, nbf: now() + 3600 }, TEST_JWT_SECRET)],
    ["no kid", () => forgeJwt({ alg: "HS256", typ: "JWT" }, claims, TEST_JWT_SECRET)],
    ["an unknown kid", () => forgeJwt({ ...header, kid: "not-our-key" }, claims, TEST_JWT_SECRET)],
    ["an embedded jwk with the attacker's key", () => forgeJwt({ ...header, jwk: { kty: "oct", k: Buffer.from(attackerSecret).toString("base64url") } }, claims, attackerSecret)],
    ["a jwk header even when signed with our secret", () => forgeJwt({ ...header, jwk: { kty: "oct", k: "AAAA" } }, claims, TEST_JWT_SECRET)],
    ["a jku header", () => forgeJwt({ ...header, jku: keyServerUrl }, claims, TEST_JWT_SECRET)],
    ["an x5u header", () => forgeJwt({ ...header, x5u: keyServerUrl }, claims, TEST_JWT_SECRET)],
    ["a jku header and the attacker's key", () => forgeJwt({ alg: "HS256", jku: keyServerUrl, kid: "attacker" }, claims, attackerSecret)],
    ["roles tampered to ADMIN", () => [user.accessToken.split(".")[0], Buffer.from(JSON.stringify({ ...claims, roles: ["ADMIN", "USER"] })).toString("base64url"), user.accessToken.split(".")[2]].join(".")],
    ["roles set to ADMIN and signed with another secret", () => forgeJwt(header, { ...claims, roles: ["ADMIN"] }, attackerSecret)],
    ["a refresh token", () => user.refreshToken],
    ["typ removed", () => forgeJwt(header, { ...claims, typ: undefined }, TEST_JWT_SECRET)],
    ["+ and / in place of base64url characters", () => user.accessToken.replace(/-/g, "+").replace(/_/g, "/").replace(/\.([A-Za-z0-9])/, ".+$1")],
    ["base64 padding", () => `${user.accessToken}==`],
    ["100 kB of base64url", () => `${"A".repeat(50_000)}.${"B".repeat(50_000)}.${"C".repeat(2_400)}`],
    ["a fourth segment", () => `${user.accessToken}.${user.accessToken.split(".")[2]}`],
  ];

  it.each(cases)("refuses a token with %s, answering no data", async (_case, forge) => {
    const token = forge();
    expectRefused(await server.client.request(ME, { token }));
    expectRefused(await server.client.request(USERS, { token }));
  });

  it("refuses characters that are not base64url at all as a malformed header", async () => {
    for (const token of [user.accessToken.replace(".", "!."), `${user.accessToken}%`, user.accessToken.replace(".", ".{")]) {
      expectRefused(await server.client.request(ME, { token }), "MALFORMED_AUTH_HEADER");
    }
  });

  it("never fetched a key from a URL a token named", () => {
    expect(keyServerHits).toBe(0);
  });
});

describe("hostile refresh tokens", () => {
  it.each<[string, () => string]>([
    ["an access token", () => user.accessToken],
    ["alg none", () => unsignedJwt({ ...header, alg: "none" }, { ...decodeJwt(user.refreshToken).payload })],
    ["HS512 with our secret", () => forgeJwt({ ...header, alg: "HS512" }, decodeJwt(user.refreshToken).payload, TEST_JWT_SECRET, "sha512")],
    ["a wrong aud", () => forgeJwt(header, { ...decodeJwt(user.refreshToken).payload, aud: "another-api" }, TEST_JWT_SECRET)],
    ["100 kB", () => "A".repeat(100_000)],
  ])("refuses %s, answering no data", async (_case, forge) => {
    expectRefused(await server.client.request(REFRESH, { variables: { refreshToken: forge() } }));
  });
});

describe("random and mutated tokens (property-based)", () => {
  const base64urlChar = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

  /** A real token changed in one of the ways an attacker would try. */
  const mutatedToken = (original: () => string) =>
    fc
      .oneof(
        fc.tuple(fc.nat(), base64urlChar).map(([at, char]) => (token: string) => token.slice(0, at % token.length) + char + token.slice((at % token.length) + 1)),
        fc.nat().map((at) => (token: string) => token.slice(0, at % token.length) + token.slice((at % token.length) + 1)),
        fc.nat().map((at) => (token: string) => token.slice(0, at % token.length)),
        fc.constant((token: string) => token.split(".").reverse().join(".")),
        fc.dictionary(fc.constantFrom("sub", "sid", "jti", "typ", "roles", "exp", "iat", "iss", "aud", "nbf", "email"), fc.jsonValue()).map(
          (changes) => (token: string) => [token.split(".")[0], Buffer.from(JSON.stringify({ ...decodeJwt(token).payload, ...changes })).toString("base64url"), token.split(".")[2]].join("."),
        ),
        fc.tuple(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()).map(([extraHeader, payload]) => () => forgeJwt({ ...header, ...extraHeader }, payload, TEST_JWT_SECRET)),
      )
      .map((mutate) => mutate(original()))
      .filter((token) => token !== original() && token.length > 0);

  it("no random printable string used as a bearer token yields data or crashes the request", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: printable, minLength: 1, maxLength: 400 }), async (token) => {
        const response = await server.client.request(ME, { token });
        expect(response.status).toBe(200);
        expect(response.data).toBeNull();
        expect(response.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
      }),
      { numRuns: 60 },
    );
  });

  it("no mutation of a real access token is accepted by me, users or logout", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedToken(() => user.accessToken), fc.constantFrom(ME, USERS, LOGOUT), async (token, document) => {
        const response = await server.client.request(document, { token });
        expect(response.status).toBe(200);
        expect(response.data).toBeNull();
        expect(response.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
        expect(response.errors![0].message).not.toMatch(JWT_LIBRARY_TEXT);
      }),
      { numRuns: 80 },
    );
    expect((await server.client.request(ME, { token: user.accessToken })).data).toEqual({ me: user.user });
  });

  it("no mutation of a real refresh token is exchanged", async () => {
    const own = await registerUser(server.client);
    await fc.assert(
      fc.asyncProperty(mutatedToken(() => own.refreshToken), async (refreshToken) => {
        const response = await server.client.request(REFRESH, { variables: { refreshToken } });
        expect(response.status).toBe(200);
        expect(response.data).toBeNull();
        expect(response.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
      }),
      { numRuns: 60 },
    );
    // The session was never touched: its refresh token is still the live one.
    expect((await server.client.request(REFRESH, { variables: { refreshToken: own.refreshToken } })).errors).toBeUndefined();
  });

  it("random credentials never crash login or register, and every refusal carries a contract code", async () => {
    const emailLike = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 60 }).map((local) => `${local}@example.com`));
    const password = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", minLength: 8, maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(LOGIN, REGISTER), emailLike, password, async (document, email, pass) => {
        const response = await server.client.request<{ login?: AuthPayload; register?: AuthPayload }>(document, { variables: { input: { email, password: pass } } });
        expect(response.status).toBeLessThan(500);
        if (document === LOGIN) expect(response.data ?? null).toBeNull();
        if (response.errors) {
          for (const error of response.errors) expect(CONTRACT_CODES).toContain(error.extensions?.code);
        } else {
          expect(response.data?.register?.user.email).toBe(email.trim().toLowerCase());
        }
      }),
      { numRuns: 80 },
    );
  });
});
