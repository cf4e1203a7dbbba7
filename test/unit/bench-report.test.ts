import { medianOf, percentile, type LoadResult } from "../../bench/load";
import { renderBarChart } from "../../bench/svg-chart";
import { evaluateTargets, type Measurements } from "../../bench/targets";

const load = (requestsPerSecond: number, p99 = 10): LoadResult => ({ requestsPerSecond, p50: p99 / 2, p99, requests: requestsPerSecond, failures: 0 });

function measurements(overrides: Partial<Measurements> = {}): Measurements {
  return {
    apolloBaseline: load(10_000, 8),
    me: load(6_000, 12),
    argon2Baseline: load(50, 25),
    login: load(47, 200),
    refresh: load(1_500, 60),
    meUnderLogin: load(4_000, 30),
    meFewUsers: load(6_000),
    meManyUsers: load(5_700),
    meNoRevocations: load(6_000),
    meManyRevocations: load(5_300),
    memory: { earlyRss: 100, lateRss: 105 },
    ...overrides,
  };
}

describe("benchmark targets", () => {
  it("computes each ratio against its own baseline and judges it against the issue's limit", () => {
    const checks = evaluateTargets(measurements());
    expect(checks.map(({ ratioOf, ratio, pass }) => [ratioOf, Number(ratio.toFixed(3)), pass])).toEqual([
      ["me req/s ÷ H req/s", 0.6, true],
      ["me p99 ÷ H p99", 1.5, true],
      ["logins/s ÷ A verifies/s", 0.94, true],
      ["refreshes/s ÷ me req/s", 0.25, true],
      ["me req/s ÷ idle me req/s", 0.667, true],
      ["me p99 ÷ idle me p99", 2.5, true],
      ["me req/s, many users ÷ 10 users", 0.95, true],
      ["me req/s, many revoked ÷ none", 0.883, false],
      ["RSS late ÷ RSS early", 1.05, true],
    ]);
  });

  it("fails a target exactly past its limit and never passes a figure that could not be measured", () => {
    const atLimit = evaluateTargets(measurements({ me: load(5_000, 16) }));
    expect(atLimit[0]).toMatchObject({ ratio: 0.5, pass: true });
    expect(atLimit[1]).toMatchObject({ ratio: 2, pass: true });
    const past = evaluateTargets(measurements({ me: load(4_999, 16.1) }));
    expect([past[0].pass, past[1].pass]).toEqual([false, false]);
    const unmeasured = evaluateTargets(measurements({ argon2Baseline: load(0) }));
    expect(unmeasured[2]).toMatchObject({ pass: false });
    expect(evaluateTargets(measurements({ memory: { earlyRss: Number.NaN, lateRss: 1 } }))[8].pass).toBe(false);
  });
});

describe("benchmark statistics", () => {
  it("takes the median of each figure separately and sums the counts", () => {
    const result = medianOf([load(100, 30), load(300, 10), load(200, 20)]);
    expect(result).toEqual({ requestsPerSecond: 200, p50: 10, p99: 20, requests: 600, failures: 0 });
  });

  it("reads percentiles by nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(sorted, 0.5), percentile(sorted, 0.99), percentile(sorted, 1), percentile([7], 0.99)]).toEqual([50, 99, 100, 7]);
  });
});

describe("benchmark chart", () => {
  it("draws one throughput and one latency bar per scenario, scaled to the largest, with labels escaped", () => {
    const svg = renderBarChart("a <title> & more", [
      { label: "me", requestsPerSecond: 5000, p99Ms: 10, note: "0.5 × H" },
      { label: "login <hash>", requestsPerSecond: 50, p99Ms: 200 },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("a &#60;title&#62; &#38; more");
    expect(svg).toContain("login &#60;hash&#62;");
    expect(svg).not.toContain("<hash>");
    const bars = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)" height="16"/g)].map((match) => Number(match[1]));
    // Axis maxima round up to 5,000 req/s and 200 ms: me's throughput bar and login's latency bar are full width.
    expect(bars).toEqual([300, 15, 3, 300]);
    expect(svg).toContain("5,000 (0.5 × H)");
  });
});
