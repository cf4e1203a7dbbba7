/**
 * The service as the benchmark runs it: the production wiring of src/index.ts,
 * bound to a free loopback port, driven by its parent over IPC. Configuration
 * comes from the environment the parent sets (production mode, own database
 * and Redis key prefix).
 */
import "reflect-metadata";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { connectDatabase } from "../src/database/orm";
import { createLogger } from "../src/logging/logger";
import { connectRedis, createRedis } from "../src/redis/redis";
import { serveOverIpc } from "./ipc-child";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, production: config.production });
  const orm = await connectDatabase(config.databaseUrl);
  const redis = createRedis(config.redisUrl, config.redisKeyPrefix, logger);
  await connectRedis(redis);
  const app = await createApp({ config, orm, redis, logger });
  await app.services.hasher.warmUp();
  const port = await app.listen(0, "127.0.0.1");

  serveOverIpc(port, async () => {
    await app.close();
    await Promise.allSettled([orm.close(), redis.quit()]);
    logger.flush();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
