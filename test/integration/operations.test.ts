import { spawn, spawnSync } from "node:child_process";
import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Client } from "pg";
import { freePort, waitUntil } from "../helpers/disposable-servers";
import { me, registerUser } from "../helpers/operations";
import { startServiceProcess } from "../helpers/service-process";
import { TEST_JWT_SECRET, TEST_REDIS_URL, TEST_SERVER_URL } from "../helpers/test-app";

const ROOT = join(__dirname, "..", "..");
// No ARGON2_* variables: these processes run with the production defaults.
const BASE_ENV = { PATH: process.env.PATH ?? "", REDIS_URL: TEST_REDIS_URL };

/** Runs the entry point with `env` and returns its exit code and output, for start-up failures. */
function startExpectingFailure(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "src/index.ts"], {
    cwd: ROOT,
    env: { ...BASE_ENV, ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

/** A GraphQL POST sent in two parts, so it is surely in flight between them. */
function startSlowRequest(port: number) {
  const body = JSON.stringify({ query: "{ __typename }" });
  const request = httpRequest({ host: "127.0.0.1", port, path: "/graphql", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on("response", (incoming) => {
      let text = "";
      incoming.on("data", (chunk: Buffer) => (text += chunk.toString()));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
  });
  const headersSent = new Promise<void>((resolve) => request.write(body.slice(0, 5), () => resolve()));
  return { headersSent, response, finish: () => request.end(body.slice(5)) };
}

/** The entry point in production mode, on a database that does not exist yet. */
async function startProductionService(label: string) {
  const databaseName = `auth_test_${label}_${randomBytes(4).toString("hex")}`;
  const service = await startServiceProcess({
    ...BASE_ENV,
    NODE_ENV: "production",
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: `${TEST_SERVER_URL}/${databaseName}`,
    REDIS_KEY_PREFIX: `test:${databaseName}:`,
  });
  return { databaseName, service };
}

async function withDatabaseClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe("configuration", () => {
  it.each([
    ["ACCESS_TOKEN_TTL", { ACCESS_TOKEN_TTL: "fifteen" }, /^Invalid configuration: ACCESS_TOKEN_TTL must be a whole number$/],
    ["DATABASE_URL", { DATABASE_URL: "mysql://localhost/auth" }, /^Invalid configuration: DATABASE_URL must be a postgresql:\/\/ URL$/],
    ["JWT_SECRET in production", { NODE_ENV: "production" }, /^Invalid configuration: JWT_SECRET is required in production/],
  ])("stops the process with one line naming %s and a non-zero exit", (_name, env, message) => {
    const { status, stderr } = startExpectingFailure(env);
    expect(status).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe("start-up", () => {
  it("creates a missing database, applies the committed migrations, and serves with production parameters", async () => {
    const { databaseName, service } = await startProductionService("create");
    try {
      const registered = await registerUser(service.client);
      expect((await me(service.client, registered.accessToken)).data?.me.email).toBe(registered.user.email);

      const own = new Client({ connectionString: `${TEST_SERVER_URL}/${databaseName}` });
      await own.connect();
      const migrations = await own.query("select name from mikro_orm_migrations");
      const hash = await own.query("select password_hash from users where id = $1", [registered.user.id]);
      await own.end();
      expect(migrations.rows.map((row) => row.name)).toContain("Migration20261123090951");
      expect(hash.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    } finally {
      expect(await service.stop()).toBe(0);
      await withDatabaseClient((client) => client.query(`drop database if exists "${databaseName}" with (force)`));
    }
  });

  it("logs one JSON line per request in production, without tokens or passwords", async () => {
    const { databaseName, service } = await startProductionService("logs");
    let registered: Awaited<ReturnType<typeof registerUser>>;
    try {
      registered = await registerUser(service.client);
      await me(service.client, registered.accessToken);
      await fetch(`${service.url}/healthz`);
    } finally {
      expect(await service.stop()).toBe(0);
      await withDatabaseClient((client) => client.query(`drop database if exists "${databaseName}" with (force)`));
    }
    const entries: { msg: string; [field: string]: unknown }[] = service.output().trim().split("\n").map((line) => JSON.parse(line));
    const requests = entries.filter((entry) => entry.msg === "request");
    expect(requests.filter((entry) => entry.path === "/graphql").map((entry) => [entry.method, entry.status])).toEqual([
      ["POST", 200],
      ["POST", 200],
    ]);
    expect(requests.at(-1)).toMatchObject({ method: "GET", path: "/healthz", status: 200, durationMs: expect.any(Number), ip: "127.0.0.1" });
    for (const secret of [registered!.accessToken, registered!.refreshToken, registered!.password, TEST_JWT_SECRET]) {
      expect(service.output()).not.toContain(secret);
    }
  });
});

describe("npm start", () => {
  jest.setTimeout(120_000);

  it.each([
    ["SIGTERM", "to the npm process alone", false],
    ["SIGINT", "to the whole process group", true],
  ] as const)("drains and exits 0 on %s sent %s", async (signal, _target, toGroup) => {
    const databaseName = `auth_test_signal_${randomBytes(4).toString("hex")}`;
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, ...BASE_ENV, NODE_ENV: "development", PORT: String(port), DATABASE_URL: `${TEST_SERVER_URL}/${databaseName}`, REDIS_KEY_PREFIX: `test:${databaseName}:`, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    try {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200, "npm start to listen", 90_000);
      // A request whose body is still arriving when the signal comes is answered before the exit.
      const inFlight = startSlowRequest(port);
      await inFlight.headersSent;
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the server parse the headers
      if (toGroup) process.kill(-npm.pid!, signal);
      else process.kill(npm.pid!, signal);
      await new Promise((resolve) => setTimeout(resolve, 300));
      inFlight.finish();

      expect(await inFlight.response).toEqual({ status: 200, body: '{"data":{"__typename":"Query"}}\n' });
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped"');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (npm.exitCode === null) process.kill(-npm.pid!, "SIGKILL");
      await withDatabaseClient((client) => client.query(`drop database if exists "${databaseName}" with (force)`));
    }
  });
});
