import { errorCode, type GraphQLResponse } from "../helpers/graphql-client";
import { waitUntil, type DisposableServer } from "../helpers/disposable-servers";
import { LOGOUT, login, me, refresh, REGISTER, registerUser, uniqueEmail, type AuthPayload } from "../helpers/operations";
import type { ServiceProcess } from "../helpers/service-process";
import { expectRefusedAsUnavailable as expectRefused, startOutageRig, timed } from "../helpers/outage";

/**
 * Redis holds the revocation list and the rate limits. While it is away the
 * service must refuse, fast, everything that needs those checks, and come
 * back by itself without losing a revocation. The service runs as its own
 * process (the real entry point) against a Redis this file starts, crashes
 * and freezes.
 */
jest.setTimeout(60_000);

/** The bound for an answer while a dependency is away. */
const FAIL_FAST_MS = 2000;

let redis: DisposableServer;
let postgres: DisposableServer;
let service: ServiceProcess;
let alice: AuthPayload & { password: string };
let revokedToken: string;

beforeAll(async () => {
  ({ redis, postgres, service } = await startOutageRig());
  alice = await registerUser(service.client);
  const bob = await registerUser(service.client);
  const loggedOut = await service.client.request<{ logout: boolean }>(LOGOUT, { token: bob.accessToken });
  expect(loggedOut.data?.logout).toBe(true);
  revokedToken = bob.accessToken;
  expect(errorCode(await me(service.client, revokedToken))).toBe("UNAUTHENTICATED");
});

afterAll(async () => {
  await service?.stop();
  await Promise.all([redis?.destroy(), postgres?.destroy()]);
});

function expectRefusedAsUnavailable(response: GraphQLResponse<unknown>, ms: number): void {
  expectRefused(response, ms, { withinMs: FAIL_FAST_MS, leak: /redis|ioredis|stream|ECONNREFUSED|timed out/i });
}

async function readiness(): Promise<{ status: number; ms: number }> {
  const { result, ms } = await timed(() => fetch(`${service.url}/readyz`));
  return { status: result.status, ms };
}

describe("while Redis is down (crashed)", () => {
  beforeAll(async () => {
    await redis.crash();
  });

  it("refuses an authenticated request with SERVICE_UNAVAILABLE within 2 s and serves no data", async () => {
    for (const token of [alice.accessToken, revokedToken]) {
      const { result, ms } = await timed(() => me(service.client, token));
      expectRefusedAsUnavailable(result, ms);
    }
  });

  it("fails login closed, even with the right password", async () => {
    const { result, ms } = await timed(() => login(service.client, alice.user.email, alice.password));
    expectRefusedAsUnavailable(result, ms);
  });

  it("refuses register, refresh and logout with SERVICE_UNAVAILABLE", async () => {
    const registered = await timed(() => service.client.request(REGISTER, { variables: { input: { email: uniqueEmail(), password: "long enough password" } } }));
    expectRefusedAsUnavailable(registered.result, registered.ms);
    const refreshed = await timed(() => refresh(service.client, alice.refreshToken));
    expectRefusedAsUnavailable(refreshed.result, refreshed.ms);
    const loggedOut = await timed(() => service.client.request(LOGOUT, { token: alice.accessToken }));
    expectRefusedAsUnavailable(loggedOut.result, loggedOut.ms);
  });

  it("answers /readyz 503 at once while /healthz stays 200", async () => {
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(FAIL_FAST_MS);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});

describe("when Redis comes back after a crash", () => {
  beforeAll(async () => {
    await redis.start();
  });

  it("serves again within seconds without a restart", async () => {
    const { ms } = await timed(() => waitUntil(async () => (await me(service.client, alice.accessToken)).data?.me?.id === alice.user.id, "me to answer again", 10_000));
    expect(ms).toBeLessThan(5000);
    expect((await readiness()).status).toBe(200);
    const loggedIn = await login(service.client, alice.user.email, alice.password);
    expect(loggedIn.errors).toBeUndefined();
    expect(loggedIn.data?.login.user.id).toBe(alice.user.id);
  });

  it("still refuses the token revoked before the crash (the revocation survived through the AOF)", async () => {
    const response = await me(service.client, revokedToken);
    expect(response.data).toBeNull();
    expect(response.errors?.[0].extensions).toEqual({ code: "UNAUTHENTICATED", reason: "TOKEN_REVOKED" });
  });
});

describe("while Redis hangs (frozen: connections open, no answers)", () => {
  beforeAll(() => {
    redis.freeze();
  });

  afterAll(() => {
    redis.thaw();
  });

  it("refuses me and login with SERVICE_UNAVAILABLE within 2 s", async () => {
    const asked = await timed(() => me(service.client, alice.accessToken));
    expectRefusedAsUnavailable(asked.result, asked.ms);
    const loggedIn = await timed(() => login(service.client, alice.user.email, alice.password));
    expectRefusedAsUnavailable(loggedIn.result, loggedIn.ms);
  });

  it("answers /readyz 503 within 2 s instead of hanging with it", async () => {
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(FAIL_FAST_MS);
  });
});

describe("after the freeze", () => {
  it("serves again within seconds and the process never died", async () => {
    const { ms } = await timed(() => waitUntil(async () => (await me(service.client, alice.accessToken)).data?.me?.id === alice.user.id, "me to answer again", 10_000));
    expect(ms).toBeLessThan(5000);
    expect(errorCode(await me(service.client, revokedToken))).toBe("UNAUTHENTICATED");
    expect((await readiness()).status).toBe(200);

    expect(service.alive()).toBe(true);
    expect(await service.stop()).toBe(0);
    // Outages are warnings; an error line would mean something escaped as a bug or a rejection.
    expect(service.output()).not.toMatch(/unhandled|uncaught|"level":(50|60)/i);
  });
});
