import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort, waitUntil } from "./disposable-servers";
import { GraphQLClient } from "./graphql-client";

const ROOT = join(__dirname, "..", "..");

/** The real entry point (src/index.ts) running as its own process, as an operator would run it. */
export interface ServiceProcess {
  readonly url: string;
  readonly client: GraphQLClient;
  /** Every line the process wrote to stdout and stderr so far. */
  output(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts src/index.ts (transpiled on the fly, no build needed) with `env` on
 * a free port and resolves once /healthz answers. In production the logger
 * buffers its output, so read `output()` after `stop()` for the whole of it.
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/index.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  await waitUntil(async () => {
    if (exitedEarly) throw new Error(`service exited before listening:\n${output}`);
    return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
  }, "the service to listen", 30_000);

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    client: new GraphQLClient(url),
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
  };
}
