import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { Client } from "pg";

/**
 * A PostgreSQL or Redis that one test file starts on its own port and may
 * stop, crash, freeze and restart without disturbing the shared servers.
 */
export interface DisposableServer {
  readonly port: number;
  readonly url: string;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** A crash: SIGKILL for Redis, an immediate shutdown for PostgreSQL (no checkpoint, no goodbye to clients). */
  crash(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open but nothing answers, as in a network partition. */
  freeze(): void;
  thaw(): void;
  /** Stops it for good and deletes its data. */
  destroy(): Promise<void>;
}

/** A free loopback port (a tiny race with other processes is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server with AOF on (`appendonly yes`) and RDB snapshots off, so
 * whatever survives a crash survived through the AOF alone.
 */
export async function startDisposableRedis(): Promise<DisposableServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "redis-test-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--appendonly", "yes", "--dir", dir, "--save", "", "--daemonize", "no"];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn("redis-server", args, { stdio: "ignore" });
    await waitUntil(() => canConnect(port), `redis-server on port ${port}`);
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGCONT");
    child.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    start,
    crash: () => stop("SIGKILL"),
    freeze: () => child?.kill("SIGSTOP"),
    thaw: () => child?.kill("SIGCONT"),
    async destroy() {
      await stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PostgreSQL cluster made by initdb in a temporary folder (trust auth,
 * user `postgres`). PostgreSQL refuses to run as root, so under root it runs
 * as the `postgres` system user.
 */
export async function startDisposablePostgres(): Promise<DisposableServer> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "postgres-test-"));
  const owner = systemUserFor(dir);
  const data = join(dir, "data");
  execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { cwd: dir, stdio: "ignore", ...owner });
  const args = ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(join(bin, "postgres"), args, { cwd: dir, stdio: "ignore", ...owner });
    await waitUntil(() => acceptsQueries(port), `postgres on port ${port}`);
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGCONT");
    // SIGQUIT is PostgreSQL's immediate shutdown: children are told to quit at once, no checkpoint.
    child.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}`,
    start,
    crash: () => stop("SIGQUIT"),
    // The postmaster alone would keep serving through its children: freeze the whole process tree.
    freeze: () => signalTree(child?.pid, "SIGSTOP"),
    thaw: () => signalTree(child?.pid, "SIGCONT"),
    async destroy() {
      signalTree(child?.pid, "SIGCONT");
      await stop("SIGQUIT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? "").split(delimiter).find((dir) => dir && existsSync(join(dir, "initdb")));
  if (onPath) return dirname(realpathSync(join(onPath, "initdb")));
  // Debian and Ubuntu keep the server binaries out of PATH, one folder per major version.
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("PostgreSQL server binaries (initdb, postgres) not found");
  return join(root, versions[0], "bin");
}

/** Under root, the uid/gid of the `postgres` user (made owner of `dir`); otherwise the current user. */
function systemUserFor(dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  chownSync(dir, uid, gid);
  return { uid, gid };
}

function signalTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean);
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  for (const child of children) {
    try {
      process.kill(Number(child), signal);
    } catch {
      // It exited between listing and signalling.
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.write("PING\r\n");
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
    socket.once("error", () => resolve(false));
  });
}

async function acceptsQueries(port: number): Promise<boolean> {
  const client = new Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres", connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Polls `check` every 50 ms for up to `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
