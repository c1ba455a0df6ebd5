/** Latency statistics. Percentiles use the nearest-rank method: p95 is a latency some sample really had. */

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  total: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    median: median(sorted),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    total,
  };
}

/** Runs `work` once and returns its wall-clock time in milliseconds together with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Rounds milliseconds to microseconds so that result files stay readable. */
export function roundMs(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}

export function roundSummary(summary: LatencySummary): LatencySummary {
  return {
    count: summary.count,
    min: roundMs(summary.min),
    mean: roundMs(summary.mean),
    median: roundMs(summary.median),
    p95: roundMs(summary.p95),
    p99: roundMs(summary.p99),
    max: roundMs(summary.max),
    total: roundMs(summary.total),
  };
}
