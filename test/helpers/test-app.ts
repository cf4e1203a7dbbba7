import { randomBytes } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Redis } from "ioredis";
import { Client } from "pg";
import { createApp, type App } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import type { Context } from "../../src/context";
import { connectDatabase } from "../../src/database/orm";
import { createLogger, type Logger } from "../../src/logging/logger";
import { connectRedis, createRedis } from "../../src/redis/redis";
import { GraphQLClient } from "./graphql-client";

export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
export const TEST_JWT_SECRET = "test-secret-that-is-at-least-32-bytes-long!!";

/** Cheap argon2 so tests run fast; one test proves the production defaults separately. */
const CHEAP_ARGON2 = { ARGON2_MEMORY_KIB: "1024", ARGON2_TIME_COST: "1" };

export interface TestApp {
  url: string;
  config: Config;
  orm: MikroORM;
  redis: Redis;
  app: App;
  client: GraphQLClient;
  databaseName: string;
  /** Stops this instance; drops its database and Redis keys unless another instance shares them. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  /** Another instance whose database and Redis prefix this one shares (a second server). */
  sharing?: TestApp;
  logger?: Logger;
  /** Apollo Server plugins to observe the operations this instance serves. */
  plugins?: ApolloServerPlugin<Context>[];
}

/**
 * A real server on a free loopback port with its own PostgreSQL database and
 * Redis key prefix, so test files can run in parallel without seeing each other.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseName = options.sharing?.databaseName ?? `auth_test_${randomBytes(6).toString("hex")}`;
  const redisKeyPrefix = options.sharing?.config.redisKeyPrefix ?? `test:${databaseName}:`;
  const config = loadConfig({
    NODE_ENV: "test",
    JWT_SECRET: TEST_JWT_SECRET,
    ...CHEAP_ARGON2,
    ...options.env,
    DATABASE_URL: `${TEST_SERVER_URL}/${databaseName}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
  });
  const logger = options.logger ?? createLogger({ level: config.logLevel, production: false });
  const orm = await connectDatabase(config.databaseUrl, 5);
  const redis = createRedis(config.redisUrl, config.redisKeyPrefix, logger);
  await connectRedis(redis);
  const app = await createApp({ config, orm, redis, logger, plugins: options.plugins });
  if (config.admin) await app.services.users.ensureAdmin(orm.em.fork(), config.admin);
  const port = await app.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    config,
    orm,
    redis,
    app,
    client: new GraphQLClient(url),
    databaseName,
    async close() {
      await app.close();
      await orm.close();
      if (!options.sharing) {
        await deleteKeys(redis, redisKeyPrefix);
        await dropDatabase(databaseName);
      }
      await redis.quit();
    },
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  // SCAN patterns are not prefixed by ioredis, DEL keys are: strip the prefix before deleting.
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  } while (cursor !== "0");
}

async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
