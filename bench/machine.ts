import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { dirname, join } from "node:path";
import type { Redis } from "ioredis";
import type { Client } from "pg";

const PACKAGES = ["@apollo/server", "graphql", "type-graphql", "@mikro-orm/core", "pg", "ioredis", "argon2", "jsonwebtoken", "pino", "autocannon"];

/** What the run was measured on; load average matters on a shared machine. */
export function describeMachine(): Record<string, string> {
  const processors = cpus();
  return {
    cpu: `${processors.length} × ${processors[0]?.model.trim() ?? "unknown"}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${type()} ${release()}`,
    "load average at start": loadavg()
      .map((value) => value.toFixed(2))
      .join(" / "),
  };
}

/** Node, the servers and the libraries on the measured path. */
export async function describeVersions(pg: Client, redis: Redis, root: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = { node: process.version };
  versions.postgresql = String((await pg.query<{ server_version: string }>("show server_version")).rows[0].server_version);
  versions.redis = /^redis_version:(\S+)/m.exec(await redis.info("server"))?.[1] ?? "unknown";
  for (const name of PACKAGES) versions[name] = packageVersion(root, name);
  versions.commit = gitCommit();
  return versions;
}

/** The nearest directory at or above `start` holding a package.json. */
export function projectRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, "package.json"))) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json above ${start}`);
  }
}

function packageVersion(root: string, name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string };
    return manifest.version;
  } catch {
    return "unknown";
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "src"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty ? `${commit} (src/ modified)` : commit;
  } catch {
    return "unknown";
  }
}
