import { createTestApp, type TestApp } from "../helpers/test-app";
import { errorCode } from "../helpers/graphql-client";
import { decodeJwt, sleep } from "../helpers/jwt";
import { me, refresh, registerUser } from "../helpers/operations";

let server: TestApp;

beforeAll(async () => {
  server = await createTestApp({ env: { REFRESH_REUSE_GRACE: "2" } });
});

afterAll(async () => {
  await server.close();
});

function reasonOf(response: { errors?: { extensions?: { reason?: string } }[] }): string | undefined {
  return response.errors?.[0]?.extensions?.reason;
}

describe("refresh", () => {
  it("rotates: returns a new working pair for the same session and spends the old refresh token", async () => {
    const registered = await registerUser(server.client);
    const response = await refresh(server.client, registered.refreshToken);

    expect(response.errors).toBeUndefined();
    const rotated = response.data!.refresh;
    expect(rotated.user).toEqual(registered.user);
    expect(rotated.refreshToken).not.toBe(registered.refreshToken);
    expect(rotated.accessToken).not.toBe(registered.accessToken);
    expect(decodeJwt(rotated.accessToken).payload.sid).toBe(decodeJwt(registered.accessToken).payload.sid);
    expect((await me(server.client, rotated.accessToken)).data?.me.id).toBe(registered.user.id);
    expect((await refresh(server.client, rotated.refreshToken)).errors).toBeUndefined();
  });

  it("gives five concurrent refreshes with one token the same new pair, and the session does not fork", async () => {
    const registered = await registerUser(server.client);
    const responses = await Promise.all(Array.from({ length: 5 }, () => refresh(server.client, registered.refreshToken)));

    expect(responses.map((response) => errorCode(response))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const pairs = new Set(responses.map((response) => `${response.data!.refresh.accessToken} ${response.data!.refresh.refreshToken}`));
    expect(pairs.size).toBe(1);

    const [{ count }] = await server.orm.em.getConnection().execute("select count(*)::int as count from sessions where user_id = ?", [registered.user.id]);
    expect(count).toBe(1);
    const next = responses[0].data!.refresh;
    expect((await me(server.client, next.accessToken)).errors).toBeUndefined();
    expect((await refresh(server.client, next.refreshToken)).errors).toBeUndefined();
  });

  it("gives a retry within the grace window the same pair as the first exchange, counting the window from the exchange itself", async () => {
    const registered = await registerUser(server.client);
    const first = await refresh(server.client, registered.refreshToken);
    await sleep(1500);
    const retry = await refresh(server.client, registered.refreshToken);

    expect(retry.data!.refresh.accessToken).toBe(first.data!.refresh.accessToken);
    expect(retry.data!.refresh.refreshToken).toBe(first.data!.refresh.refreshToken);
    expect(retry.data!.refresh.expiresIn).toBeLessThanOrEqual(first.data!.refresh.expiresIn);
  });

  it("ends the whole session when a spent refresh token comes back after the grace window", async () => {
    const registered = await registerUser(server.client);
    const rotated = (await refresh(server.client, registered.refreshToken)).data!.refresh;
    const otherSession = (await server.client.request<{ login: { accessToken: string } }>(
      `mutation { login(input: { email: "${registered.user.email}", password: "${registered.password}" }) { accessToken } }`,
    )).data!.login;
    await sleep(3100);

    const replay = await refresh(server.client, registered.refreshToken);
    expect(errorCode(replay)).toBe("UNAUTHENTICATED");
    expect(reasonOf(replay)).toBe("TOKEN_REVOKED");

    // Everything the session issued is dead: the newest refresh token and every access token.
    expect(reasonOf(await refresh(server.client, rotated.refreshToken))).toBe("TOKEN_REVOKED");
    expect(reasonOf(await me(server.client, rotated.accessToken))).toBe("TOKEN_REVOKED");
    expect(reasonOf(await me(server.client, registered.accessToken))).toBe("TOKEN_REVOKED");
    // Other sessions of the same user are untouched.
    expect((await me(server.client, otherSession.accessToken)).errors).toBeUndefined();
  });

  it("answers TOKEN_INVALID for a refresh token that is not one of ours", async () => {
    const response = await refresh(server.client, "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
    expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_INVALID" });
  });

  it("answers TOKEN_EXPIRED for an expired refresh token", async () => {
    const shortLived = await createTestApp({ env: { REFRESH_TOKEN_TTL: "1" } });
    try {
      const registered = await registerUser(shortLived.client);
      await sleep(2100);
      const response = await refresh(shortLived.client, registered.refreshToken);
      expect(response.errors![0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_EXPIRED" });
    } finally {
      await shortLived.close();
    }
  });
});
