import jwt from "jsonwebtoken";
import { createTestApp, TEST_JWT_SECRET, type TestApp } from "../helpers/test-app";
import { decodeJwt } from "../helpers/jwt";
import { login, me, refresh, registerUser } from "../helpers/operations";

const NEW_SECRET = "the-new-secret-after-rotation-is-32-bytes+";

let before: TestApp;
let rotated: TestApp;
let previousDropped: TestApp;

beforeAll(async () => {
  before = await createTestApp();
  // The same database and Redis, as the next deployment of the service would see them.
  rotated = await createTestApp({ sharing: before, env: { JWT_SECRET: NEW_SECRET, JWT_SECRET_PREVIOUS: TEST_JWT_SECRET } });
  previousDropped = await createTestApp({ sharing: before, env: { JWT_SECRET: NEW_SECRET } });
});

afterAll(async () => {
  await previousDropped.close();
  await rotated.close();
  await before.close();
});

function signedWith(token: string, secret: string): boolean {
  try {
    jwt.verify(token, secret, { algorithms: ["HS256"] });
    return true;
  } catch {
    return false;
  }
}

describe("rotating JWT_SECRET", () => {
  it("names the signing secret in a kid that differs per secret and reveals nothing of it", async () => {
    const old = await registerUser(before.client);
    const fresh = await registerUser(rotated.client);
    const [oldKid, newKid] = [decodeJwt(old.accessToken).header.kid, decodeJwt(fresh.accessToken).header.kid];

    expect(oldKid).toEqual(expect.any(String));
    expect(newKid).toEqual(expect.any(String));
    expect(newKid).not.toBe(oldKid);
    expect(decodeJwt(old.refreshToken).header.kid).toBe(oldKid);
    expect(TEST_JWT_SECRET).not.toContain(oldKid);
  });

  it("keeps tokens signed with JWT_SECRET_PREVIOUS working: access and refresh", async () => {
    const old = await registerUser(before.client);

    const meResponse = await me(rotated.client, old.accessToken);
    expect(meResponse.errors).toBeUndefined();
    expect(meResponse.data!.me).toEqual(old.user);

    const exchanged = await refresh(rotated.client, old.refreshToken);
    expect(exchanged.errors).toBeUndefined();
    expect(exchanged.data!.refresh.user.id).toBe(old.user.id);
  });

  it("signs every new token with the current secret only, never the previous one", async () => {
    const old = await registerUser(before.client);
    const pairs = [(await refresh(rotated.client, old.refreshToken)).data!.refresh, (await login(rotated.client, old.user.email)).data!.login, await registerUser(rotated.client)];

    for (const pair of pairs) {
      for (const token of [pair.accessToken, pair.refreshToken]) {
        expect(signedWith(token, NEW_SECRET)).toBe(true);
        expect(signedWith(token, TEST_JWT_SECRET)).toBe(false);
        expect(decodeJwt(token).header.kid).toBe(decodeJwt(pairs[2].accessToken).header.kid);
      }
    }
  });

  it("refuses tokens of the old secret once JWT_SECRET_PREVIOUS is dropped, and serves the new ones", async () => {
    const old = await registerUser(before.client);
    const fresh = await registerUser(rotated.client);

    expect((await me(previousDropped.client, old.accessToken)).errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
    expect((await refresh(previousDropped.client, old.refreshToken)).errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
    expect((await me(previousDropped.client, fresh.accessToken)).errors).toBeUndefined();
  });

  it("does not accept the new secret's tokens on an instance that only knows the old one", async () => {
    const fresh = await registerUser(rotated.client);
    expect((await me(before.client, fresh.accessToken)).errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
  });
});
