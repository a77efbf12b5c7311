/**
 * Pure numbers for the benchmark: latency percentiles, throughput, ratios and the targets of
 * issue 5. No I/O here, so `stats_test.ts` covers all of it.
 */

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The `p`-th percentile (0..100) of ascending `sorted` values, interpolating linearly between
 * the two closest ranks (NumPy's default). NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile must be in 0..100, got ${p}`);
  }
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Count, mean and percentiles of latencies in milliseconds (any order). */
export function summarize(latenciesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const n = sorted.length;
  return {
    count: n,
    mean: n === 0 ? NaN : sum / n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: n === 0 ? NaN : sorted[n - 1],
  };
}

/** API over baseline, or null when the baseline is not a positive number. */
export function ratio(api: number, baseline: number): number | null {
  if (!(baseline > 0) || !Number.isFinite(api)) return null;
  return api / baseline;
}

/**
 * Latencies in milliseconds from a pgbench per-transaction log (`pgbench -l`): each line is
 * `client_id transaction_no time script_no time_epoch time_us [...]`, `time` in microseconds.
 * Failed or skipped transactions (`failed`, `skipped` in the time column) are left out.
 */
export function pgbenchLatencies(log: string): number[] {
  const out: number[] = [];
  for (const line of log.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const us = Number(fields[2]);
    if (Number.isFinite(us)) out.push(us / 1000);
  }
  return out;
}

/** `tps = 1234.5 (without initial connection time)` from pgbench's report. */
export function pgbenchTps(report: string): number {
  const match = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(
    report,
  );
  if (!match) throw new Error(`no tps line in pgbench output:\n${report}`);
  return Number(match[1]);
}

/** `number of transactions actually processed: 123` from pgbench's report. */
export function pgbenchProcessed(report: string): number {
  const match = /^number of transactions actually processed: (\d+)/m.exec(
    report,
  );
  if (!match) {
    throw new Error(`no processed line in pgbench output:\n${report}`);
  }
  return Number(match[1]);
}

/** An Elasticsearch-style duration (`1s`, `500ms`, `2m`) in milliseconds; -1 stays -1. */
export function durationMs(text: string): number {
  const match = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const value = Number(match[1]);
  if (value < 0) return -1;
  const unit = match[2] ?? "ms";
  return value * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit]!;
}

/** One target of a scenario, checked. */
export interface Check {
  readonly name: string;
  /** What was wanted, in words (`>= 0.85`). */
  readonly target: string;
  /** What was measured, in words. */
  readonly actual: string;
  readonly pass: boolean;
}

export function atLeast(
  name: string,
  actual: number | null,
  min: number,
  digits = 2,
): Check {
  return {
    name,
    target: `>= ${min}`,
    actual: actual === null ? "n/a" : actual.toFixed(digits),
    pass: actual !== null && actual >= min,
  };
}

export function atMost(
  name: string,
  actual: number,
  max: number,
  unit = "ms",
  digits = 1,
): Check {
  return {
    name,
    target: `<= ${max.toFixed(digits)} ${unit}`,
    actual: `${actual.toFixed(digits)} ${unit}`,
    pass: Number.isFinite(actual) && actual <= max,
  };
}

export function exactly(
  name: string,
  actual: number,
  wanted: number,
  digits = 2,
): Check {
  return {
    name,
    target: `= ${wanted}`,
    actual: actual.toFixed(digits),
    pass: actual === wanted,
  };
}
