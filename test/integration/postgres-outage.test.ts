import { Client } from "pg";
import type { GraphQLResponse } from "../helpers/graphql-client";
import { waitUntil, type DisposableServer } from "../helpers/disposable-servers";
import { LOGOUT, login, me, refresh, REGISTER, registerUser, uniqueEmail, type AuthPayload } from "../helpers/operations";
import type { ServiceProcess } from "../helpers/service-process";
import { expectRefusedAsUnavailable as expectRefused, startOutageRig, timed } from "../helpers/outage";

/**
 * PostgreSQL holds users and sessions. While it is away, everything that
 * needs it (register, login, refresh, logout) is refused fast, and the
 * service comes back by itself. The service runs as its own process (the
 * real entry point) against a PostgreSQL this file starts, crashes and freezes.
 */
jest.setTimeout(60_000);

/** The bound for an answer while a dependency is away. */
const FAIL_FAST_MS = 2000;
/** /readyz gives up after 1 s; the PostgreSQL query timeout (1.5 s) must not be what answers it. */
const READINESS_BOUND_MS = 1400;

let redis: DisposableServer;
let postgres: DisposableServer;
let service: ServiceProcess;
let alice: AuthPayload & { password: string };

beforeAll(async () => {
  ({ redis, postgres, service } = await startOutageRig());
  alice = await registerUser(service.client);
});

afterAll(async () => {
  await service?.stop();
  await Promise.all([redis?.destroy(), postgres?.destroy()]);
});

function expectRefusedAsUnavailable(response: GraphQLResponse<unknown>, ms: number): void {
  expectRefused(response, ms, { withinMs: FAIL_FAST_MS, leak: /postgres|knex|pool|ECONNREFUSED|timeout|terminat/i });
}

async function readiness(): Promise<{ status: number; ms: number }> {
  const { result, ms } = await timed(() => fetch(`${service.url}/readyz`));
  return { status: result.status, ms };
}

async function connectionsIdleInTransaction(): Promise<number> {
  const client = new Client({ connectionString: `${postgres.url}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query("select count(*)::int as count from pg_stat_activity where datname = 'auth' and state like 'idle in transaction%'");
    return rows[0].count;
  } finally {
    await client.end();
  }
}

async function loginWorks(): Promise<boolean> {
  return (await login(service.client, alice.user.email, alice.password)).data?.login.user.id === alice.user.id;
}

/** The four operations that need PostgreSQL, sent at once as concurrent clients would. */
async function expectRefusalsOfEveryDatabaseOperation(): Promise<void> {
  const answers = await Promise.all([
    timed(() => login(service.client, alice.user.email, alice.password)),
    timed(() => service.client.request(REGISTER, { variables: { input: { email: uniqueEmail(), password: "long enough password" } } })),
    timed(() => refresh(service.client, alice.refreshToken)),
    timed(() => service.client.request(LOGOUT, { token: alice.accessToken })),
  ]);
  for (const { result, ms } of answers) expectRefusedAsUnavailable(result, ms);
}

describe("while PostgreSQL is down (crashed)", () => {
  beforeAll(async () => {
    await postgres.crash();
  });

  it("refuses login, register, refresh and logout with SERVICE_UNAVAILABLE within 2 s", async () => {
    await expectRefusalsOfEveryDatabaseOperation();
  });

  it("answers /readyz 503 at once while /healthz stays 200", async () => {
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(FAIL_FAST_MS);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });

  it("keeps answering me: an access token needs only its signature and the Redis revocation check", async () => {
    const response = await me(service.client, alice.accessToken);
    expect(response.errors).toBeUndefined();
    expect(response.data?.me.id).toBe(alice.user.id);
  });
});

describe("when PostgreSQL comes back after a crash", () => {
  beforeAll(async () => {
    await postgres.start();
  });

  it("serves login, register and refresh again within seconds without a restart", async () => {
    const { ms } = await timed(() => waitUntil(loginWorks, "login to work again", 10_000));
    expect(ms).toBeLessThan(5000);
    expect((await readiness()).status).toBe(200);
    const registered = await service.client.request<{ register: AuthPayload }>(REGISTER, { variables: { input: { email: uniqueEmail(), password: "long enough password" } } });
    expect(registered.errors).toBeUndefined();
    const refreshed = await refresh(service.client, alice.refreshToken);
    expect(refreshed.errors).toBeUndefined();
    alice = { ...alice, ...refreshed.data!.refresh };
  });
});

describe("while PostgreSQL hangs (frozen: connections open, no answers)", () => {
  beforeAll(async () => {
    // Several open connections in the pool, as under real traffic, so the requests below reach a hung server.
    await Promise.all(Array.from({ length: 6 }, () => readiness()));
    postgres.freeze();
  });

  afterAll(() => {
    postgres.thaw();
  });

  it("refuses login, register, refresh and logout with SERVICE_UNAVAILABLE within 2 s", async () => {
    await expectRefusalsOfEveryDatabaseOperation();
  });

  it("answers /readyz 503 after its own 1 s deadline instead of waiting for the query timeout", async () => {
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(READINESS_BOUND_MS);
  });
});

describe("after the freeze", () => {
  it("leaves no transaction open on the server for the next request to inherit", async () => {
    // A BEGIN sent into the freeze runs once PostgreSQL thaws; had its connection gone back to
    // the pool, the next request to borrow it would run, and commit, inside that transaction.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await connectionsIdleInTransaction()).toBe(0);
  });

  it("serves again within seconds and the process never died", async () => {
    const { ms } = await timed(() => waitUntil(loginWorks, "login to work again", 15_000));
    expect(ms).toBeLessThan(10_000);
    expect((await readiness()).status).toBe(200);

    expect(service.alive()).toBe(true);
    expect(await service.stop()).toBe(0);
    // Outages are warnings; an error line would mean something escaped as a bug or a rejection.
    expect(service.output()).not.toMatch(/unhandled|uncaught|"level":(50|60)/i);
  });
});
