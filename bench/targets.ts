import type { LoadResult } from "./load";

/** The figures every target is computed from, all measured in one run. */
export interface Measurements {
  apolloBaseline: LoadResult;
  me: LoadResult;
  argon2Baseline: LoadResult;
  login: LoadResult;
  refresh: LoadResult;
  meUnderLogin: LoadResult;
  meFewUsers: LoadResult;
  meManyUsers: LoadResult;
  meNoRevocations: LoadResult;
  meManyRevocations: LoadResult;
  memory: { earlyRss: number; lateRss: number };
}

export interface TargetCheck {
  scenario: string;
  /** What the ratio is, e.g. "me req/s ÷ H req/s". */
  ratioOf: string;
  ratio: number;
  comparison: ">=" | "<=";
  limit: number;
  pass: boolean;
}

/** Each target of the performance issue, as a ratio against its baseline from the same run. */
export function evaluateTargets(m: Measurements): TargetCheck[] {
  const check = (scenario: string, ratioOf: string, ratio: number, comparison: ">=" | "<=", limit: number): TargetCheck => ({
    scenario,
    ratioOf,
    ratio,
    comparison,
    limit,
    // NaN (a figure or a baseline that could not be measured) never passes.
    pass: comparison === ">=" ? ratio >= limit : ratio <= limit,
  });
  const ratioOrNaN = (value: number, baseline: number) => (baseline > 0 && Number.isFinite(value / baseline) ? value / baseline : Number.NaN);
  return [
    check("me", "me req/s ÷ H req/s", ratioOrNaN(m.me.requestsPerSecond, m.apolloBaseline.requestsPerSecond), ">=", 0.5),
    check("me", "me p99 ÷ H p99", ratioOrNaN(m.me.p99, m.apolloBaseline.p99), "<=", 2),
    check("login", "logins/s ÷ A verifies/s", ratioOrNaN(m.login.requestsPerSecond, m.argon2Baseline.requestsPerSecond), ">=", 0.9),
    check("refresh", "refreshes/s ÷ me req/s", ratioOrNaN(m.refresh.requestsPerSecond, m.me.requestsPerSecond), ">=", 0.2),
    check("me while login is saturated", "me req/s ÷ idle me req/s", ratioOrNaN(m.meUnderLogin.requestsPerSecond, m.me.requestsPerSecond), ">=", 0.5),
    check("me while login is saturated", "me p99 ÷ idle me p99", ratioOrNaN(m.meUnderLogin.p99, m.me.p99), "<=", 3),
    check("growth: users", "me req/s, many users ÷ 10 users", ratioOrNaN(m.meManyUsers.requestsPerSecond, m.meFewUsers.requestsPerSecond), ">=", 0.9),
    check("growth: revocations", "me req/s, many revoked ÷ none", ratioOrNaN(m.meManyRevocations.requestsPerSecond, m.meNoRevocations.requestsPerSecond), ">=", 0.9),
    check("memory", "RSS late ÷ RSS early", ratioOrNaN(m.memory.lateRss, m.memory.earlyRss), "<=", 1.1),
  ];
}
