import "reflect-metadata";
import { createApp, type App } from "./app";
import { ConfigError, loadConfig, type Config } from "./config";
import { connectDatabase } from "./database/orm";
import { createLogger, type Logger } from "./logging/logger";
import { connectRedis, createRedis } from "./redis/redis";

/** How long in-flight requests may take to finish after SIGTERM. */
const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel, production: config.production });
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  if (config.jwt.generatedSecret) {
    logger.warn("JWT_SECRET is not set: using a random per-process secret; tokens will not survive a restart");
  }

  const orm = await connectDatabase(config.databaseUrl);
  const redis = createRedis(config.redisUrl, config.redisKeyPrefix, logger);
  await connectRedis(redis);

  const app = await createApp({ config, orm, redis, logger });
  await app.services.hasher.warmUp();
  if (config.admin) await app.services.users.ensureAdmin(orm.em.fork(), config.admin);

  const port = await app.listen(config.port);
  logger.info({ port, env: config.env }, `listening on http://localhost:${port}/graphql`);

  onShutdownSignal(async () => {
    logger.info("shutting down: draining requests");
    await shutdown(app, logger);
    await Promise.allSettled([orm.close(), redis.quit()]);
    logger.info("stopped");
    logger.flush();
  });
}

/** The first SIGTERM or SIGINT drains and exits 0; repeats (npm forwards the group's signal too) are ignored. */
function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

async function shutdown(app: App, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn("drain timed out; closing remaining connections");
    app.httpServer.closeAllConnections();
  }, DRAIN_TIMEOUT_MS);
  timer.unref();
  await app.close();
  clearTimeout(timer);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
