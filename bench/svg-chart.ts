/** One row of the chart: a scenario's throughput and tail latency. */
export interface ChartRow {
  label: string;
  requestsPerSecond: number;
  p99Ms: number;
  /** Shown after the throughput, e.g. "0.62 × H". */
  note?: string;
}

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 250;
const PANEL_WIDTH = 300;
const PANEL_GAP = 110;
const TOP = 58;
const BAR_HEIGHT = 16;

/**
 * Two horizontal bar panels side by side, requests per second and p99
 * latency, one row per scenario; each panel is scaled to its own largest
 * value. Plain SVG 1.1 with no scripts or external references, so it renders
 * the same in a browser and on a code host.
 */
export function renderBarChart(title: string, rows: readonly ChartRow[]): string {
  const width = LABEL_WIDTH + 2 * PANEL_WIDTH + PANEL_GAP + 90;
  const height = TOP + rows.length * ROW_HEIGHT + 30;
  const throughputLeft = LABEL_WIDTH;
  const latencyLeft = LABEL_WIDTH + PANEL_WIDTH + PANEL_GAP;
  const maxThroughput = niceMax(Math.max(...rows.map((row) => row.requestsPerSecond)));
  const maxLatency = niceMax(Math.max(...rows.map((row) => row.p99Ms)));

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${throughputLeft}" y="${TOP - 12}" font-weight="bold">requests per second (higher is better)</text>`,
    `<text x="${latencyLeft}" y="${TOP - 12}" font-weight="bold">p99 latency, ms (lower is better)</text>`,
    axis(throughputLeft, rows.length),
    axis(latencyLeft, rows.length),
  ];
  rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const textY = y + BAR_HEIGHT - 3;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end">${escapeXml(row.label)}</text>`);
    parts.push(bar(throughputLeft, y, barLength(row.requestsPerSecond, maxThroughput), "#3b6fb6"));
    const throughputText = `${formatNumber(row.requestsPerSecond)}${row.note ? ` (${row.note})` : ""}`;
    parts.push(`<text x="${throughputLeft + barLength(row.requestsPerSecond, maxThroughput) + 4}" y="${textY}">${escapeXml(throughputText)}</text>`);
    parts.push(bar(latencyLeft, y, barLength(row.p99Ms, maxLatency), "#d0782a"));
    parts.push(`<text x="${latencyLeft + barLength(row.p99Ms, maxLatency) + 4}" y="${textY}">${escapeXml(formatNumber(row.p99Ms))}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function barLength(value: number, max: number): number {
  return Number.isFinite(value) && max > 0 ? Math.max(0, (value / max) * PANEL_WIDTH) : 0;
}

function bar(x: number, y: number, length: number, colour: string): string {
  return `<rect x="${x}" y="${y}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour}"/>`;
}

function axis(x: number, rowCount: number): string {
  return `<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${TOP + rowCount * ROW_HEIGHT}" stroke="#444444"/>`;
}

/** The next round number at or above `value`, so bars keep a little headroom. */
function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
