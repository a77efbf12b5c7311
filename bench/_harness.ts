/**
 * What every bench scenario shares: the run's context, its log, and building a scenario's
 * result. Starting servers is in _servers.ts, measuring a side in _measure.ts, requests beside
 * the load tool in _requests.ts; the scenarios themselves are in bench/*_scenario.ts.
 */
import type { Proc } from "./procs.ts";
import type { ScenarioResult, Side } from "./result.ts";
import { type ScenarioId, TITLES } from "./scenarios.ts";
import type { BenchSettings } from "./settings.ts";
import { type Check, ratio } from "./stats.ts";

export const ROOT = new URL("..", import.meta.url).pathname;
export const BENCH = new URL(".", import.meta.url).pathname;

export function log(message: string): void {
  console.error(`[bench] ${message}`);
}

export interface Ctx {
  readonly s: BenchSettings;
  readonly api: () => Proc;
  readonly apiBase: string;
  readonly users: readonly { id: string; token: string }[];
  readonly adminToken: string;
  /** The shipping option every bench order uses (`createBenchShipping`). */
  readonly shippingOptionId: string;
  readonly pgbenchScript: string;
  restartApi(extra: Record<string, string>): Promise<void>;
}

/** A scenario's result, titled as `TITLES` (scenarios.ts) titles it. */
export function scenario(
  id: ScenarioId,
  api: Side | null,
  baseline: Side | null,
  checks: Check[],
  figures: Record<string, string | number | boolean> = {},
  notes: string[] = [],
): ScenarioResult {
  const [title, baselineTitle] = TITLES[id];
  return {
    id,
    title,
    baselineTitle,
    api,
    baseline,
    ratio: api && baseline ? ratio(api.throughput, baseline.throughput) : null,
    checks,
    figures,
    notes,
  };
}

export function noFailures(name: string, side: Side): Check {
  return {
    name: `${name} errors`,
    target: "= 0",
    actual: String(side.failed),
    pass: side.failed === 0,
  };
}
