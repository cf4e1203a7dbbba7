import autocannon from "autocannon";

/** One bounded load against a GraphQL endpoint. */
export interface LoadSpec {
  url: string;
  connections: number;
  headers?: Record<string, string>;
  /** The same body for every request... */
  body?: string;
  /** ...or a fresh body for each request. */
  nextBody?: () => string;
  /** Every response body must equal this, or it counts as a failure. */
  expectBody?: string;
  /** Or every response body must pass this check. */
  verifyBody?: (body: string) => boolean;
  /** Sees every response body (e.g. to keep the refresh token it carries). */
  onBody?: (body: string) => void;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and bodies that failed their check. */
  failures: number;
}

/** Runs one load for `seconds` on loopback and summarises it. */
export async function runLoad(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const { nextBody, onBody, verifyBody } = spec;
  const options: autocannon.Options = {
    url: spec.url,
    method: "POST",
    connections: spec.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    headers: { "content-type": "application/json", ...spec.headers },
    body: spec.body ?? nextBody?.(),
  };
  // autocannon tells "absent" from "undefined" for these, so they are set only when given.
  if (spec.expectBody !== undefined) options.expectBody = spec.expectBody;
  if (verifyBody) options.verifyBody = (body) => verifyBody(String(body));
  if (nextBody || onBody) options.requests = [dynamicRequest(nextBody, onBody)];
  const result = await autocannon(options);
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.non2xx + result.mismatches,
  };
}

/** autocannon copies every key of a request, so an absent hook is left out rather than set to undefined. */
function dynamicRequest(nextBody?: () => string, onBody?: (body: string) => void): autocannon.Request {
  const request: autocannon.Request = {};
  if (nextBody) request.setupRequest = (current) => ({ ...current, body: nextBody() });
  if (onBody) request.onResponse = (_status, body) => onBody(body);
  return request;
}

/** The median of each figure over several runs: one slow second on a shared machine does not decide. */
export function medianOf(results: readonly LoadResult[]): LoadResult {
  return {
    requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    p50: median(results.map((result) => result.p50)),
    p99: median(results.map((result) => result.p99)),
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    failures: results.reduce((sum, result) => sum + result.failures, 0),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value at fraction `q` (0..1) of already sorted values, nearest rank. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
