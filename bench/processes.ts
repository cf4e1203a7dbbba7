import { fork, type ChildProcess } from "node:child_process";
import { extname, join } from "node:path";
import type { ChildMessage } from "./ipc-child";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** The server's own view of its memory, asked over IPC. */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** Asks the server to drain and exit; kills it if it does not. */
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** Extra node flags for the child, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Where the child's stdout goes: its request log. Ignored by default, as a log shipper would take it. */
  stdout?: "ignore" | "inherit";
}

/**
 * Runs as compiled JavaScript (`npm run bench` builds first), like `npm start`:
 * under ts-node the servers would pay for its hooks, and ts-node loads node's
 * `domain` module, which puts a wrapper around every event emitted.
 */
const compiled = extname(__filename) === ".js";

/** Starts `bench/<script>` as a child process and waits until it listens. */
export function startServer(script: string, options: StartOptions): Promise<ServerProcess> {
  const child = fork(join(__dirname, `${script}${compiled ? ".js" : ".ts"}`), [], {
    env: { ...process.env, ...options.env },
    execArgv: [...(compiled ? [] : ["--require", "ts-node/register/transpile-only"]), ...(options.nodeArgs ?? [])],
    stdio: [ "ignore", options.stdout ?? "ignore", "inherit", "ipc" ],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    };
    child.once("exit", onExit);
    child.on("message", function onReady(message: ChildMessage) {
      if (message.type !== "ready") return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.off("message", onReady);
      resolve(serverProcess(child, message.port));
    });
  });
}

function serverProcess(child: ChildProcess, port: number): ServerProcess {
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    memory: () =>
      new Promise((resolve) => {
        child.on("message", function onMemory(message: ChildMessage) {
          if (message.type !== "memory") return;
          child.off("message", onMemory);
          resolve({ rss: message.rss, heapUsed: message.heapUsed });
        });
        child.send({ type: "memory" });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: "stop" });
      }),
  };
}
