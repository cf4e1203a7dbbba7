import { errorCode, type GraphQLClient, type GraphQLResponse } from "../helpers/graphql-client";
import { LOGOUT, login, me, refresh, REGISTER, TEST_PASSWORD, uniqueEmail, type AuthPayload } from "../helpers/operations";
import { startServiceProcess, type ServiceProcess } from "../helpers/service-process";
import { createTestApp, TEST_JWT_SECRET, type TestApp } from "../helpers/test-app";

/**
 * A bounded load test on loopback: LOAD_TEST_CLIENTS clients (50) mix
 * register, login, me, refresh and logout for LOAD_TEST_SECONDS (12 in CI;
 * run it with 30 for the full run). It must end with no 5xx, no
 * INTERNAL_SERVER_ERROR, every answer the one the contract promises, and
 * every token revoked under load still refused afterwards.
 *
 * The server is the real entry point in its own process (the load generator
 * must not share its event loop), on this file's database and Redis prefix.
 */
const SECONDS = positiveInteger(process.env.LOAD_TEST_SECONDS, 12);
const CLIENTS = positiveInteger(process.env.LOAD_TEST_CLIENTS, 50);
/** A hard cap besides the clock, so a very fast machine still sends a bounded number of requests. */
const MAX_REQUESTS = 250_000;

jest.setTimeout((SECONDS + 60) * 1000);

type Operation = "register" | "login" | "wrongPassword" | "me" | "refresh" | "logout";

/** How often each client picks each operation (out of 100). */
const MIX: ReadonlyArray<[Operation, number]> = [
  ["me", 50],
  ["refresh", 20],
  ["login", 10],
  ["logout", 10],
  ["register", 5],
  ["wrongPassword", 5],
];

interface Signed {
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

class Tally {
  requests = 0;
  readonly latencies = new Map<Operation, number[]>();
  readonly serverErrors: string[] = [];
  readonly mismatches: string[] = [];
  readonly revokedAccessTokens: string[] = [];
  readonly revokedRefreshTokens: string[] = [];

  record(operation: Operation, ms: number, response: GraphQLResponse<unknown>): void {
    this.requests++;
    let list = this.latencies.get(operation);
    if (!list) this.latencies.set(operation, (list = []));
    list.push(ms);
    if (response.status >= 500 || response.errors?.some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR")) {
      this.serverErrors.push(`${operation}: HTTP ${response.status} ${JSON.stringify(response.errors)}`);
    }
  }

  expect(condition: boolean, operation: Operation, response: GraphQLResponse<unknown>): void {
    if (!condition && this.mismatches.length < 1000) this.mismatches.push(`${operation}: HTTP ${response.status} ${JSON.stringify(response.errors ?? response.data)}`);
  }
}

let base: TestApp;
let service: ServiceProcess;

beforeAll(async () => {
  const env = {
    // Rate limits have their own tests; here every client shares 127.0.0.1 and must not be throttled.
    AUTH_ATTEMPTS_PER_IP: "100000000",
    LOGIN_ATTEMPTS_PER_EMAIL: "100000000",
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_TIME_COST: "1",
  };
  base = await createTestApp({ env });
  service = await startServiceProcess({
    NODE_ENV: "test",
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: base.config.databaseUrl,
    REDIS_URL: base.config.redisUrl,
    REDIS_KEY_PREFIX: base.config.redisKeyPrefix,
    LOG_LEVEL: "warn",
    ...env,
  });
});

afterAll(async () => {
  await service?.stop();
  await base?.close();
});

it(`${CLIENTS} clients for ${SECONDS} s: no 5xx, no internal error, every answer as promised, every revoked token refused`, async () => {
  const tally = new Tally();
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, () => runClient(service.client, tally, deadline)));
  const elapsedSeconds = (performance.now() - started) / 1000;

  // Checked against the in-process instance too: revocations hold for every instance sharing the Redis.
  const refusals = await checkRevokedTokens([service.client, base.client], tally);
  await service.stop();

  report(tally, elapsedSeconds);
  expect(tally.serverErrors.slice(0, 5)).toEqual([]);
  expect(tally.mismatches.slice(0, 5)).toEqual([]);
  expect(tally.revokedAccessTokens.length).toBeGreaterThan(0);
  expect(refusals.filter((refusal) => refusal !== "UNAUTHENTICATED:TOKEN_REVOKED")).toEqual([]);
  expect(service.output()).not.toMatch(/"level":(50|60)/);
});

async function runClient(client: GraphQLClient, tally: Tally, deadline: number): Promise<void> {
  let signed = await registerFresh(client, tally);
  while (Date.now() < deadline && tally.requests < MAX_REQUESTS) {
    const operation = pick();
    const started = performance.now();
    switch (operation) {
      case "me": {
        const response = await me(client, signed.accessToken);
        tally.record(operation, performance.now() - started, response);
        tally.expect(response.data?.me?.id === signed.userId && response.errors === undefined, operation, response);
        break;
      }
      case "refresh": {
        const response = await refresh(client, signed.refreshToken);
        tally.record(operation, performance.now() - started, response);
        const pair = response.data?.refresh;
        tally.expect(pair?.user.id === signed.userId && pair.refreshToken !== signed.refreshToken, operation, response);
        if (pair) signed = { ...signed, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
        break;
      }
      case "login": {
        const response = await login(client, signed.email);
        tally.record(operation, performance.now() - started, response);
        const payload = response.data?.login;
        tally.expect(payload?.user.id === signed.userId, operation, response);
        if (payload) signed = { ...signed, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
        break;
      }
      case "wrongPassword": {
        const response = await login(client, signed.email, "not the password at all");
        tally.record(operation, performance.now() - started, response);
        tally.expect(errorCode(response) === "INVALID_CREDENTIALS" && response.data === null, operation, response);
        break;
      }
      case "logout": {
        const response = await client.request<{ logout: boolean }>(LOGOUT, { token: signed.accessToken });
        tally.record(operation, performance.now() - started, response);
        tally.expect(response.data?.logout === true, operation, response);
        tally.revokedAccessTokens.push(signed.accessToken);
        tally.revokedRefreshTokens.push(signed.refreshToken);
        signed = await loginAgain(client, tally, signed);
        break;
      }
      case "register":
        signed = await registerFresh(client, tally);
        break;
    }
  }
}

async function registerFresh(client: GraphQLClient, tally: Tally): Promise<Signed> {
  const email = uniqueEmail("load");
  const started = performance.now();
  const response = await client.request<{ register: AuthPayload }>(REGISTER, { variables: { input: { email, password: TEST_PASSWORD } } });
  tally.record("register", performance.now() - started, response);
  const payload = response.data?.register;
  tally.expect(payload?.user.email === email, "register", response);
  if (!payload) throw new Error(`register failed under load: ${JSON.stringify(response.errors)}`);
  return { userId: payload.user.id, email, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

async function loginAgain(client: GraphQLClient, tally: Tally, signed: Signed): Promise<Signed> {
  const started = performance.now();
  const response = await login(client, signed.email);
  tally.record("login", performance.now() - started, response);
  const payload = response.data?.login;
  tally.expect(payload?.user.id === signed.userId, "login", response);
  if (!payload) throw new Error(`login failed under load: ${JSON.stringify(response.errors)}`);
  return { ...signed, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

/** Every revoked access token against `me` and every revoked refresh token against `refresh`, on every client; 20 at a time. */
async function checkRevokedTokens(clients: GraphQLClient[], tally: Tally): Promise<string[]> {
  const checks: Array<() => Promise<GraphQLResponse<unknown>>> = [];
  for (const client of clients) {
    for (const token of tally.revokedAccessTokens) checks.push(() => me(client, token));
    for (const token of tally.revokedRefreshTokens) checks.push(() => refresh(client, token));
  }
  const outcomes: string[] = [];
  for (let index = 0; index < checks.length; index += 20) {
    const responses = await Promise.all(checks.slice(index, index + 20).map((check) => check()));
    for (const response of responses) {
      const extensions = response.errors?.[0]?.extensions;
      outcomes.push(response.data ? `served: ${JSON.stringify(response.data)}` : `${extensions?.code}:${extensions?.reason}`);
    }
  }
  return outcomes;
}

function pick(): Operation {
  let roll = Math.random() * 100;
  for (const [operation, weight] of MIX) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return "me";
}

function report(tally: Tally, elapsedSeconds: number): void {
  const lines = [`load: ${CLIENTS} clients, ${elapsedSeconds.toFixed(1)} s, ${tally.requests} requests, ${(tally.requests / elapsedSeconds).toFixed(0)} req/s`];
  for (const [operation, latencies] of tally.latencies) {
    latencies.sort((a, b) => a - b);
    const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))].toFixed(1);
    lines.push(`  ${operation.padEnd(13)} n=${String(latencies.length).padStart(6)}  p50=${at(0.5)} ms  p95=${at(0.95)} ms  p99=${at(0.99)} ms  max=${at(1)} ms`);
  }
  lines.push(`  revoked tokens checked: ${tally.revokedAccessTokens.length} access + ${tally.revokedRefreshTokens.length} refresh, on 2 instances`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
