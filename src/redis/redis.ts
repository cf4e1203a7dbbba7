import { Redis } from "ioredis";
import type { Logger } from "../logging/logger";

/** How long a Redis command may take before the request is refused. */
const COMMAND_TIMEOUT_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * A Redis client that fails fast: no offline queue, a short command
 * timeout, one retry per command. While Redis is away every check fails at
 * once (the request is refused) and the client keeps reconnecting in the background.
 */
export function createRedis(url: string, keyPrefix: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    // Commands issued by concurrent requests in one turn of the event loop go
    // out in one write: under load the socket write was the largest single
    // cost of an authenticated request.
    enableAutoPipelining: true,
  });
  let lastLogged = 0;
  redis.on("error", (error: Error) => {
    // Reconnection errors arrive many times a second during an outage.
    if (Date.now() - lastLogged > 5000) {
      lastLogged = Date.now();
      logger.warn({ err: error }, "redis connection error");
    }
  });
  return redis;
}

/** Connects and waits until the client is ready for commands. */
export async function connectRedis(redis: Redis): Promise<void> {
  if (redis.status === "wait") await redis.connect();
}

/** True while Redis answers PING. */
export async function redisIsReachable(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  }
}
