/**
 * `npm run bench [-- --quick] [-- --runs=N --seconds=N --cpu-prof]`
 *
 * Starts everything it measures (a bare Apollo server, then the service in
 * production mode on a free loopback port with its own database and Redis
 * key prefix), loads each scenario with autocannon, stops what it started,
 * and reports every figure as a ratio against a baseline from the same run.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import argon2 from "argon2";
import { Redis } from "ioredis";
import { Client } from "pg";
import { loadConfig, type Config } from "../src/config";
import { medianOf, percentile, runLoad, type LoadResult, type LoadSpec } from "./load";
import { describeMachine, describeVersions, projectRoot } from "./machine";
import { startServer, type ServerProcess } from "./processes";
import { chartRows, renderMarkdown, renderText, type BenchReport, type ScenarioRow } from "./report";
import { deleteKeys, seedRevocations, seedUsers, type RevocationSeed } from "./seed";
import { renderBarChart } from "./svg-chart";
import { evaluateTargets, type Measurements } from "./targets";

const DATABASE_SERVER = process.env.BENCH_DATABASE_SERVER ?? process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
const PASSWORD = "correct horse battery staple";
const FEW_USERS = 10;
/** The project root: where package.json is, whether this runs from bench/ or from its build. */
const ROOT = projectRoot(__dirname);

const ME = "query Me { me { id email roles createdAt } }";
const LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresIn user { id } } }";
const REFRESH = "mutation Refresh($refreshToken: String!) { refresh(refreshToken: $refreshToken) { accessToken refreshToken expiresIn } }";

interface Runner {
  title: string;
  warmUp(): Promise<unknown>;
  run(): Promise<LoadResult>;
}

interface Measured {
  result: LoadResult;
  runs: LoadResult[];
}

interface Plan {
  quick: boolean;
  seconds: number;
  runs: number;
  warmUpSeconds: number;
  connections: number;
  seededUsers: number;
  seededRevocations: number;
  memoryEarlySeconds: number;
  memoryLateSeconds: number;
  cpuProfile: boolean;
}

function parsePlan(args: readonly string[]): Plan {
  const quick = args.includes("--quick");
  const number = (name: string, fallback: number) => {
    const given = args.find((arg) => arg.startsWith(`--${name}=`));
    const value = given ? Number(given.split("=")[1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
    return value;
  };
  const unknown = args.filter((arg) => !/^--(quick|cpu-prof|runs=.*|seconds=.*)$/.test(arg));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(" ")}; use --quick, --runs=N, --seconds=N, --cpu-prof`);
  return {
    quick,
    seconds: number("seconds", quick ? 1 : 10),
    runs: number("runs", quick ? 1 : 3),
    warmUpSeconds: quick ? 1 : 3,
    connections: 50,
    // Quick mode only proves the benchmark works: a small table seeds in well under a second.
    seededUsers: quick ? 10_000 : 1_000_000,
    seededRevocations: quick ? 10_000 : 1_000_000,
    memoryEarlySeconds: quick ? 2 : 10,
    memoryLateSeconds: quick ? 5 : 60,
    cpuProfile: args.includes("--cpu-prof"),
  };
}

function say(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

/** Things to undo, newest first, whether the run succeeds, fails or is interrupted. */
class Cleanup {
  private readonly steps: Array<() => Promise<unknown>> = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length) {
      try {
        await this.steps.pop()!();
      } catch (error) {
        process.stderr.write(`[bench] cleanup step failed: ${String(error)}\n`);
      }
    }
  }
}

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const cleanup = new Cleanup();
  process.once("SIGINT", () => void cleanup.run().finally(() => process.exit(130)));
  try {
    const report = await benchmark(plan, cleanup);
    await cleanup.run();
    const failed = report.scenarios.filter((row) => row.result.failures > 0 || row.result.requests === 0);
    process.stdout.write(`\n${renderText(report)}`);
    writeOutputs(report, plan);
    if (failed.length) {
      process.stderr.write(`[bench] broken: ${failed.map((row) => `${row.title} (${row.result.failures} failures of ${row.result.requests})`).join(", ")}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

async function benchmark(plan: Plan, cleanup: Cleanup): Promise<BenchReport> {
  const id = randomBytes(4).toString("hex");
  const databaseName = `auth_bench_${id}`;
  const redisKeyPrefix = `bench:${id}:`;
  const serviceEnv: Record<string, string> = {
    NODE_ENV: "production",
    JWT_SECRET: randomBytes(48).toString("base64url"),
    DATABASE_URL: `${DATABASE_SERVER}/${databaseName}`,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    // One client hammering from one address is exactly what the abuse limits stop; lifted here only.
    AUTH_ATTEMPTS_PER_IP: "1000000000",
    LOGIN_ATTEMPTS_PER_EMAIL: "1000000000",
  };
  // The same configuration the server reads, so baseline A uses its argon2 parameters and hash concurrency.
  const config = loadConfig({ ...process.env, ...serviceEnv });
  const loginConnections = Math.max(8, 4 * config.password.concurrency);
  const startedAt = new Date();
  const machine = describeMachine();
  const warmUp = (spec: LoadSpec) => runLoad(spec, plan.warmUpSeconds);

  /** A load whose spec is made afresh for every run (fresh tokens, topped-up pools). */
  const loadRunner = (title: string, makeSpec: () => Promise<LoadSpec>): Runner => ({
    title,
    warmUp: async () => warmUp(await makeSpec()),
    run: async () => runLoad(await makeSpec(), plan.seconds),
  });

  /**
   * Warms every runner up, then runs them in turn `plan.runs` times, so a
   * figure and its baseline see the same moments of a shared machine.
   */
  async function measureAlternating(...runners: Runner[]): Promise<Measured[]> {
    for (const runner of runners) await runner.warmUp();
    const runs: LoadResult[][] = runners.map(() => []);
    for (let run = 0; run < plan.runs; run += 1) {
      for (const [index, runner] of runners.entries()) runs[index].push(await runner.run());
    }
    return runners.map((runner, index) => {
      const result = medianOf(runs[index]);
      say(`${runner.title}: ${result.requestsPerSecond.toFixed(1)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.failures} failures`);
      return { result, runs: runs[index] };
    });
  }

  const measure = async (title: string, makeSpec: () => Promise<LoadSpec>) => (await measureAlternating(loadRunner(title, makeSpec)))[0];

  say(`${plan.quick ? "quick mode: 1 s per figure, no timing asserted, " : ""}${plan.runs} x ${plan.seconds} s per figure at ${plan.connections} connections`);

  // Baseline H runs beside the service (idle while the other is loaded), so their runs can alternate.
  const apollo = await startServer("apollo-baseline", { env: { NODE_ENV: "production" } });
  cleanup.add(() => apollo.stop());
  const typenameBody = JSON.stringify({ query: "{ __typename }" });
  const typenameAnswer = await post(apollo.url, typenameBody);
  expectJson(typenameAnswer, (answer) => answer.data?.__typename === "Query", "baseline H");

  cleanup.add(() => dropDatabase(databaseName));
  const redis = new Redis(REDIS_URL, { keyPrefix: redisKeyPrefix, lazyConnect: true });
  await redis.connect();
  cleanup.add(() => redis.quit());
  cleanup.add(() => deleteKeys(redis, redisKeyPrefix));
  say(`starting the service (database ${databaseName}, key prefix ${redisKeyPrefix})`);
  const service = await startServer("server", {
    env: serviceEnv,
    nodeArgs: plan.cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${join(ROOT, "bench", "profiles")}`] : [],
  });
  cleanup.add(() => service.stop());
  const graphqlUrl = `${service.url}/graphql`;
  const pg = new Client({ connectionString: serviceEnv.DATABASE_URL });
  await pg.connect();
  cleanup.add(() => pg.end());
  const versions = await describeVersions(pg, redis, ROOT);

  const passwordHash = await hashLikeTheServer(config);
  await seedUsers(pg, { count: FEW_USERS, firstIndex: 1, emailPrefix: "user-", passwordHash });
  let nextUser = 0;
  const userEmail = () => `user-${(nextUser++ % FEW_USERS) + 1}@bench.invalid`;
  const login = async (email = userEmail()): Promise<{ accessToken: string; refreshToken: string }> => {
    const answer = await post(graphqlUrl, JSON.stringify({ query: LOGIN, variables: { input: { email, password: PASSWORD } } }));
    return expectJson(answer, (body) => typeof body.data?.login?.accessToken === "string", "login").data.login;
  };

  const meAnswer = await post(graphqlUrl, JSON.stringify({ query: ME }), { authorization: `Bearer ${(await login()).accessToken}` });
  expectJson(meAnswer, (body) => typeof body.data?.me?.email === "string", "me");
  // Every user's answer differs; the load uses one user so every answer can be checked byte for byte.
  const meUser = JSON.parse(meAnswer).data.me.email as string;
  const meSpec = (accessToken: string): LoadSpec => ({
    url: graphqlUrl,
    connections: plan.connections,
    headers: { authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query: ME }),
    expectBody: meAnswer,
  });
  const meToken = async () => (await login(meUser)).accessToken;
  const freshMe = async () => meSpec(await meToken());

  const [apolloBaseline, me] = await measureAlternating(
    loadRunner("baseline H", async () => ({ url: apollo.url, connections: plan.connections, body: typenameBody, expectBody: typenameAnswer })),
    loadRunner("me", freshMe),
  );
  await apollo.stop();

  say(`baseline A: argon2.verify, ${config.password.concurrency} in flight (m=${config.password.memoryKiB} KiB, t=${config.password.timeCost}, p=${config.password.parallelism})`);

  const loginSpec = (): LoadSpec => ({
    url: graphqlUrl,
    connections: loginConnections,
    nextBody: () => JSON.stringify({ query: LOGIN, variables: { input: { email: userEmail(), password: PASSWORD } } }),
    verifyBody: (body) => body.includes('"accessToken"') && !body.includes('"errors"'),
  });
  const [argon2, loginResult] = await measureAlternating(
    { title: "baseline A", warmUp: () => argon2Load(passwordHash, config, plan.warmUpSeconds), run: () => argon2Load(passwordHash, config, plan.seconds) },
    loadRunner("login", async () => loginSpec()),
  );
  const argon2Baseline = argon2.result;

  // Each request spends one refresh token and its answer carries the next; the pool holds one live token per session.
  const refreshPool: string[] = [];
  const refreshSpec = async (): Promise<LoadSpec> => {
    // The answers to requests still in flight when a run stops are lost, and their sessions with them.
    const missing = plan.connections + 10 - refreshPool.length;
    refreshPool.push(...(await Promise.all(Array.from({ length: Math.max(0, missing) }, () => login()))).map((pair) => pair.refreshToken));
    return {
      url: graphqlUrl,
      connections: plan.connections,
      nextBody: () => JSON.stringify({ query: REFRESH, variables: { refreshToken: refreshPool.shift() ?? "pool-exhausted" } }),
      onBody: (body) => {
        const next = /"refreshToken":"([^"]+)"/.exec(body)?.[1];
        if (next) refreshPool.push(next);
      },
      verifyBody: (body) => body.includes('"refreshToken"') && !body.includes('"errors"'),
    };
  };
  const refresh = await measure("refresh", refreshSpec);

  say(`me while ${loginConnections} connections keep login saturated`);
  await warmUp(loginSpec());
  const underLoginRuns: LoadResult[] = [];
  const loginDuringRuns: LoadResult[] = [];
  for (let run = 0; run < plan.runs; run += 1) {
    const spec = await freshMe();
    // Login starts first and ends last, so every `me` request meets a saturated hasher.
    const loginLoad = runLoad(loginSpec(), plan.seconds + 2);
    await delay(1000);
    underLoginRuns.push(await runLoad(spec, plan.seconds));
    loginDuringRuns.push(await loginLoad);
  }
  const meUnderLogin = medianOf(underLoginRuns);
  const loginDuring = medianOf(loginDuringRuns);
  say(`me under login: ${meUnderLogin.requestsPerSecond.toFixed(1)}/s, p99 ${meUnderLogin.p99} ms; login meanwhile ${loginDuring.requestsPerSecond.toFixed(1)}/s`);

  // Growth: revocations. One token for both halves, and its own bucket is the one that grows.
  const revocationToken = await meToken();
  const meNoRevocations = await measure("me, no revoked tokens", async () => meSpec(revocationToken));
  say(`seeding ${plan.seededRevocations.toLocaleString("en-US")} revoked jtis into the token's bucket`);
  const revocationSeed = await seedRevocations(redis, accessTokenExpiry(revocationToken), plan.seededRevocations);
  const meManyRevocations = await measure(`me, ${plan.seededRevocations} revoked tokens`, async () => meSpec(revocationToken));
  await redis.unlink(revocationSeed.key);

  // Growth: users.
  const meFewUsers = await measure(`me, ${FEW_USERS} users`, freshMe);
  say(`seeding ${plan.seededUsers.toLocaleString("en-US")} users by SQL`);
  const seedStarted = Date.now();
  await seedUsers(pg, { count: plan.seededUsers, firstIndex: 1, emailPrefix: "seed-", passwordHash });
  say(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
  const meManyUsers = await measure(`me, ${plan.seededUsers} users`, freshMe);

  say(`memory: ${plan.memoryLateSeconds} s of continuous me load`);
  const memory = await memoryUnderLoad(service, await freshMe(), plan);

  const measurements: Measurements = {
    apolloBaseline: apolloBaseline.result,
    me: me.result,
    argon2Baseline,
    login: loginResult.result,
    refresh: refresh.result,
    meUnderLogin,
    meFewUsers: meFewUsers.result,
    meManyUsers: meManyUsers.result,
    meNoRevocations: meNoRevocations.result,
    meManyRevocations: meManyRevocations.result,
    memory: { earlyRss: memory.early.rss, lateRss: memory.late.rss },
  };
  const ratio = (value: number, base: number, name: string) => `${(value / base).toFixed(2)} × ${name}`;
  const connections = `${plan.connections} connections`;
  const scenarios: ScenarioRow[] = [
    { id: "baseline-h", title: "baseline H: bare Apollo", load: connections, unit: "req/s", ...apolloBaseline, note: "baseline" },
    { id: "me", title: "me", load: connections, unit: "req/s", ...me, note: ratio(me.result.requestsPerSecond, apolloBaseline.result.requestsPerSecond, "H") },
    { id: "baseline-a", title: "baseline A: argon2.verify", load: `${config.password.concurrency} in flight`, unit: "verifies/s", ...argon2, note: "baseline" },
    { id: "login", title: "login", load: `${loginConnections} connections`, unit: "logins/s", ...loginResult, note: ratio(loginResult.result.requestsPerSecond, argon2Baseline.requestsPerSecond, "A") },
    { id: "refresh", title: "refresh", load: connections, unit: "refreshes/s", ...refresh, note: ratio(refresh.result.requestsPerSecond, me.result.requestsPerSecond, "me") },
    { id: "me-under-login", title: "me while login is saturated", load: connections, unit: "req/s", result: meUnderLogin, runs: underLoginRuns, note: ratio(meUnderLogin.requestsPerSecond, me.result.requestsPerSecond, "idle me") },
    { id: "login-under-me", title: "  login meanwhile", load: `${loginConnections} connections`, unit: "logins/s", result: loginDuring, runs: loginDuringRuns, note: ratio(loginDuring.requestsPerSecond, argon2Baseline.requestsPerSecond, "A") },
    { id: "me-no-revocations", title: "me, 0 revoked", load: connections, unit: "req/s", ...meNoRevocations },
    { id: "me-many-revocations", title: `me, ${plan.seededRevocations.toLocaleString("en-US")} revoked`, load: connections, unit: "req/s", ...meManyRevocations, note: ratio(meManyRevocations.result.requestsPerSecond, meNoRevocations.result.requestsPerSecond, "0 revoked") },
    { id: "me-few-users", title: `me, ${FEW_USERS} users`, load: connections, unit: "req/s", ...meFewUsers },
    { id: "me-many-users", title: `me, ${(plan.seededUsers + FEW_USERS).toLocaleString("en-US")} users`, load: connections, unit: "req/s", ...meManyUsers, note: ratio(meManyUsers.result.requestsPerSecond, meFewUsers.result.requestsPerSecond, "10 users") },
    { id: "me-memory", title: `me, ${plan.memoryLateSeconds} s continuous`, load: connections, unit: "req/s", result: memory.load, runs: [memory.load], note: `RSS ${ratio(memory.late.rss, memory.early.rss, `${plan.memoryEarlySeconds} s`)}` },
  ];

  return {
    mode: plan.quick ? "quick" : "full",
    date: startedAt.toISOString(),
    machine,
    versions,
    settings: {
      runs: plan.runs,
      seconds: plan.seconds,
      warmUpSeconds: plan.warmUpSeconds,
      connections: plan.connections,
      loginConnections,
      hashConcurrency: config.password.concurrency,
      argon2: `argon2id m=${config.password.memoryKiB} KiB, t=${config.password.timeCost}, p=${config.password.parallelism}`,
      seededUsers: plan.seededUsers,
      seededRevocations: plan.seededRevocations,
      logLevel: config.logLevel,
      uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? "default (4)",
    },
    scenarios,
    targets: evaluateTargets(measurements),
    revocationMemory: revocationMemory(revocationSeed),
    memory: {
      earlySeconds: plan.memoryEarlySeconds,
      lateSeconds: plan.memoryLateSeconds,
      earlyRss: memory.early.rss,
      lateRss: memory.late.rss,
      earlyHeapUsed: memory.early.heapUsed,
      lateHeapUsed: memory.late.heapUsed,
    },
  };
}

/** Baseline A: `argon2.verify` with exactly as many verifications in flight as the server allows itself. */
async function argon2Load(hash: string, config: Config, seconds: number): Promise<LoadResult> {
  const secret = config.password.pepper ? Buffer.from(config.password.pepper, "utf8") : undefined;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let failures = 0;
  await Promise.all(
    Array.from({ length: config.password.concurrency }, async () => {
      while (performance.now() < deadline) {
        const begun = performance.now();
        if (!(await argon2.verify(hash, PASSWORD, { secret }))) failures += 1;
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), requests: latencies.length, failures };
}

/** One continuous `me` load; the server's memory is read at the early and the late mark. */
async function memoryUnderLoad(service: ServerProcess, spec: LoadSpec, plan: Plan) {
  const load = runLoad(spec, plan.memoryLateSeconds + 1);
  await delay(plan.memoryEarlySeconds * 1000);
  const early = await service.memory();
  await delay((plan.memoryLateSeconds - plan.memoryEarlySeconds) * 1000);
  const late = await service.memory();
  return { early, late, load: await load };
}

function revocationMemory(seed: RevocationSeed): BenchReport["revocationMemory"] {
  return { entries: seed.entries, bytesPerEntryByKey: seed.keyBytes / seed.entries, bytesPerEntryByUsedMemory: seed.usedMemoryDeltaBytes / seed.entries };
}

function hashLikeTheServer(config: Config): Promise<string> {
  return argon2.hash(PASSWORD, {
    type: argon2.argon2id,
    memoryCost: config.password.memoryKiB,
    timeCost: config.password.timeCost,
    parallelism: config.password.parallelism,
    secret: config.password.pepper ? Buffer.from(config.password.pepper, "utf8") : undefined,
  });
}

function accessTokenExpiry(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { exp: number };
  return payload.exp;
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return response.text();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectJson(text: string, check: (body: any) => boolean, what: string): any {
  const body: unknown = JSON.parse(text);
  if (!check(body)) throw new Error(`${what} did not answer as expected: ${text.slice(0, 300)}`);
  return body;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: `${DATABASE_SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

function writeOutputs(report: BenchReport, plan: Plan): void {
  // Quick runs prove the writers work without replacing the committed results of the last full run.
  const resultsDir = join(plan.quick ? tmpdir() : ROOT, plan.quick ? "graphql-auth-service-bench" : "bench");
  const docsDir = plan.quick ? resultsDir : join(ROOT, "docs");
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(docsDir, { recursive: true });
  const chartFile = "benchmarks.svg";
  const written = [join(resultsDir, "results.json"), join(docsDir, "benchmarks.md"), join(docsDir, chartFile)];
  writeFileSync(written[0], `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(written[1], renderMarkdown(report, chartFile));
  writeFileSync(written[2], renderBarChart(`graphql-auth-service benchmark, ${report.date.slice(0, 10)} (${report.mode})`, chartRows(report)));
  say(`wrote ${written.map((path) => (plan.quick ? path : relative(ROOT, path))).join(", ")}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
