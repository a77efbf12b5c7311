/**
 * The benchmark's result shapes, the results file's name, and the CPU figures derived from a
 * side. Rendered by report.ts (the results file) and readme_section.ts (the README).
 */
import type { Check, LatencySummary } from "./stats.ts";

/** One side of a scenario: the API or its baseline, under one load run. */
export interface Side {
  readonly label: string;
  /** Load tool and version, e.g. `wrk 4.1.0`. */
  readonly tool: string;
  readonly connections: number;
  readonly durationS: number;
  /** Successful requests or committed transactions in the measured window. */
  readonly ok: number;
  /** Non-2xx answers, socket errors and timeouts (or failed transactions). */
  readonly failed: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Successful operations per second. */
  readonly throughput: number;
  readonly latency: LatencySummary;
  /** CPU use over the measured window, percent of one core, by process group. */
  readonly cpu: Readonly<Record<string, number>>;
  /** The busiest processes that belong to no group (other users of the machine). */
  readonly others?: readonly string[];
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly baselineTitle: string;
  readonly api: Side | null;
  readonly baseline: Side | null;
  /** API throughput / baseline throughput. */
  readonly ratio: number | null;
  readonly checks: readonly Check[];
  /** Scenario-specific figures (Redis commands per request, ES took, oversell counts...). */
  readonly figures: Readonly<Record<string, string | number | boolean>>;
  readonly notes: readonly string[];
  /** Set when the scenario could not run. */
  readonly error?: string;
}

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly os: string;
  readonly versions: Readonly<Record<string, string>>;
  /** Which cores the server and the load tool were pinned to, or why not. */
  readonly pinning: string;
}

export interface BenchResult {
  readonly date: string;
  /** The short commit measured; `dirty` when the worktree had uncommitted changes. */
  readonly commit: string;
  readonly dirty: boolean;
  /** A `deno task bench:smoke` run: seconds per side, figures not comparable. */
  readonly smoke?: boolean;
  readonly startedAt: string;
  readonly elapsedS: number;
  readonly machine: Machine;
  readonly settings: Readonly<Record<string, string | number>>;
  readonly scenarios: readonly ScenarioResult[];
  /** What bounds each missed target: measured hints and profiling notes. */
  readonly bounds: readonly {
    readonly scenario: string;
    readonly text: string;
    /** One sentence, for the README. */
    readonly short?: string;
  }[];
}

/**
 * `<date>-<HHMM>-<commit>`, plus `-only-<ids>` for a run of some scenarios: a later run, whole
 * or partial, never overwrites an earlier one's figures.
 */
export function resultName(date: Date, shortSha: string, only: readonly string[] = []): string {
  const iso = date.toISOString();
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return `${stamp}-${shortSha}${only.length > 0 ? `-only-${only.join("+")}` : ""}`;
}

/** Groups a side does not account to itself: the server under test, the load tool, totals. */
const OWN_GROUPS = new Set(["server under test", "load tool", "machine"]);

/**
 * CPU (percent of one core) of processes that are neither the side's own nor one of the
 * servers it `uses`: other users of the machine disturbing the measurement.
 */
export function foreignCpu(side: Side, uses: readonly string[]): number {
  return Object.entries(side.cpu)
    .filter(([group]) => !OWN_GROUPS.has(group) && !uses.includes(group))
    .reduce((sum, [, pct]) => sum + pct, 0);
}

/** CPU time of the server under test per successful operation, in microseconds. */
export function serverCpuPerOp(side: Side): number | null {
  const pct = side.cpu["server under test"];
  if (pct === undefined || !(side.throughput > 0)) return null;
  return (pct / 100) / side.throughput * 1e6;
}
