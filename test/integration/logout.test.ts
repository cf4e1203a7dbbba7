import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { decodeJwt } from "../helpers/jwt";
import { LOGOUT, me, refresh, registerUser } from "../helpers/operations";

let server: TestApp;
let secondInstance: TestApp;

beforeAll(async () => {
  server = await createTestApp();
  secondInstance = await createTestApp({ sharing: server });
});

afterAll(async () => {
  await secondInstance.close();
  await server.close();
});

function reasonOf(response: { errors?: { extensions?: { reason?: string } }[] }): string | undefined {
  return response.errors?.[0]?.extensions?.reason;
}

describe("logout", () => {
  it("ends the caller's session: the access token used and the session's refresh token stop working at once", async () => {
    const registered = await registerUser(server.client);
    const response = await server.client.request<{ logout: boolean }>(LOGOUT, { token: registered.accessToken });

    expect(response).toMatchObject({ status: 200, data: { logout: true } });
    expect(response.errors).toBeUndefined();
    expect(reasonOf(await me(server.client, registered.accessToken))).toBe("TOKEN_REVOKED");
    expect(reasonOf(await refresh(server.client, registered.refreshToken))).toBe("TOKEN_REVOKED");
    expect(reasonOf(await server.client.request(LOGOUT, { token: registered.accessToken }))).toBe("TOKEN_REVOKED");

    const [row] = await server.orm.em.getConnection().execute("select revoked_at from sessions where id = ?", [decodeJwt(registered.accessToken).payload.sid]);
    expect(Date.now() - new Date(row.revoked_at).getTime()).toBeLessThan(60_000);
  });

  it("needs a signed-in caller", async () => {
    const response = await server.client.request(LOGOUT);
    expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_MISSING" });
  });

  it("leaves the user's other sessions signed in", async () => {
    const registered = await registerUser(server.client);
    const rotated = (await refresh(server.client, registered.refreshToken)).data!.refresh;
    const secondDevice = await server.client.request<{ login: { accessToken: string } }>(
      `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`,
      { variables: { input: { email: registered.user.email, password: registered.password } } },
    );
    await server.client.request(LOGOUT, { token: rotated.accessToken });

    expect((await me(server.client, secondDevice.data!.login.accessToken)).errors).toBeUndefined();
  });

  it("is seen at once by a second server instance sharing the Redis", async () => {
    const registered = await registerUser(server.client);
    expect((await me(secondInstance.client, registered.accessToken)).errors).toBeUndefined();

    await server.client.request(LOGOUT, { token: registered.accessToken });

    expect(reasonOf(await me(secondInstance.client, registered.accessToken))).toBe("TOKEN_REVOKED");
    expect(reasonOf(await refresh(secondInstance.client, registered.refreshToken))).toBe("TOKEN_REVOKED");
  });

  it("holds across a server restart", async () => {
    const registered = await registerUser(server.client);
    await server.client.request(LOGOUT, { token: registered.accessToken });

    const restarted = await createTestApp({ sharing: server });
    try {
      expect(reasonOf(await me(restarted.client, registered.accessToken))).toBe("TOKEN_REVOKED");
      expect(errorCode(await refresh(restarted.client, registered.refreshToken))).toBe("UNAUTHENTICATED");
    } finally {
      await restarted.close();
    }
  });

  it("keeps Redis bounded: every revocation entry expires no later than the token it blocks would have", async () => {
    const registered = await registerUser(server.client);
    const { jti, sid, exp } = decodeJwt(registered.accessToken).payload as { jti: string; sid: string; exp: number };
    await server.client.request(LOGOUT, { token: registered.accessToken });

    const bucket = `revoked:jti:${Math.floor(exp / 3600)}`;
    expect(await server.redis.sismember(bucket, jti)).toBe(1);
    const bucketExpiresAt = Math.floor(Date.now() / 1000) + (await server.redis.ttl(bucket));
    expect(bucketExpiresAt).toBeGreaterThanOrEqual(exp);
    expect(bucketExpiresAt).toBeLessThanOrEqual(exp + 3600 + 60 + 1);

    const sessionTtl = await server.redis.ttl(`revoked:session:${sid}`);
    expect(sessionTtl).toBeGreaterThanOrEqual(server.config.accessTokenTtl);
    expect(sessionTtl).toBeLessThanOrEqual(server.config.accessTokenTtl + 60);
  });
});
