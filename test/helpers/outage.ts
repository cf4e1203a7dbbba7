import type { GraphQLResponse } from "./graphql-client";
import { errorCode } from "./graphql-client";

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
