/** Messages between the benchmark and the servers it starts. */
export type ParentMessage = { type: "memory" } | { type: "stop" };
export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "memory"; rss: number; heapUsed: number }
  | { type: "stopped" };

/**
 * Reports `port` to the parent, answers memory questions, and stops on
 * request or when the parent goes away, so no server outlives its benchmark.
 */
export function serveOverIpc(port: number, stop: () => Promise<void>): void {
  if (!process.send) throw new Error("must be started by the benchmark (no IPC channel)");
  const send = (message: ChildMessage) => process.send?.(message);
  let stopping = false;
  const stopAndExit = () => {
    if (stopping) return;
    stopping = true;
    stop()
      .catch((error: unknown) => process.stderr.write(`stop failed: ${String(error)}\n`))
      .finally(() => {
        if (process.connected) send({ type: "stopped" });
        // Let a --cpu-prof profile be written on the way out.
        process.exit(0);
      });
  };
  process.on("message", (message: ParentMessage) => {
    if (message.type === "memory") {
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: "memory", rss, heapUsed });
    } else if (message.type === "stop") {
      stopAndExit();
    }
  });
  process.on("disconnect", stopAndExit);
  process.on("SIGTERM", stopAndExit);
  send({ type: "ready", port });
}
