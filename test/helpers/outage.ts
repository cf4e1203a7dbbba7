import { startDisposablePostgres, startDisposableRedis, type DisposableServer } from "./disposable-servers";
import type { GraphQLResponse } from "./graphql-client";
import { errorCode } from "./graphql-client";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { TEST_JWT_SECRET } from "./test-app";

/** The real entry point, in production mode, on a Redis and a PostgreSQL of its own for outage tests to break. */
export async function startOutageRig(): Promise<{ redis: DisposableServer; postgres: DisposableServer; service: ServiceProcess }> {
  const [redis, postgres] = await Promise.all([startDisposableRedis(), startDisposablePostgres()]);
  const service = await startServiceProcess({
    NODE_ENV: "production",
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: `${postgres.url}/auth`,
    REDIS_URL: redis.url,
    LOG_LEVEL: "warn",
  });
  return { redis, postgres, service };
}

/** Runs `call` and says how long it took. */
export async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
}

/**
 * A request refused during an outage: SERVICE_UNAVAILABLE, no data, no text
 * of the failing dependency (`leak`), and quickly (`withinMs`).
 */
export function expectRefusedAsUnavailable(response: GraphQLResponse<unknown>, ms: number, options: { withinMs: number; leak: RegExp }): void {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(errorCode(response)).toBe("SERVICE_UNAVAILABLE");
  expect(response.errors![0].message).not.toMatch(options.leak);
  expect(ms).toBeLessThan(options.withinMs);
}
