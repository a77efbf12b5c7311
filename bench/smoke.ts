/**
 * `deno task bench:smoke` (CI runs it in `.ci/run`): every scenario for a couple of seconds,
 * so a change that breaks the bench or a route under load fails CI instead of waiting for the
 * next full run. On a shared, noisy machine only what does not depend on speed is judged: a
 * scenario that could not run, and error answers (non-2xx, socket errors, timeouts, failed
 * transactions). Ratios, latencies and the other checks are printed, never judged. Pure.
 */
import type { ScenarioResult, Side } from "./result.ts";

/**
 * Where a smoke run writes its results, relative to bench/: one fixed, git-ignored name, so
 * it never sits among (or overwrites) the dated files of full runs.
 */
export const SMOKE_RESULT = "results/smoke";

function sideErrors(scenario: string, who: string, side: Side | null): string[] {
  if (!side || side.failed === 0) return [];
  const codes = Object.entries(side.statusCodes).map(([k, v]) => `${k}: ${v}`).join(", ");
  return [`${scenario}: ${who} answered ${side.failed} errors${codes ? ` (${codes})` : ""}`];
}

/** Why a smoke run fails: one line per scenario that could not run or answered errors. */
export function smokeFailures(scenarios: readonly ScenarioResult[]): string[] {
  return scenarios.flatMap((s) => {
    if (s.error) return [`${s.title}: not run: ${s.error}`];
    const fromSides = [
      ...sideErrors(s.title, "API", s.api),
      ...sideErrors(s.title, `baseline (${s.baselineTitle})`, s.baseline),
    ];
    // Error counts of the scenario's other runs (one connection, probes) are checks named
    // "... errors"; "API errors" is the API side's own count, already reported above.
    const fromChecks = s.checks
      .filter((c) => !c.pass && / errors$/.test(c.name) && c.name !== "API errors")
      .map((c) => `${s.title}: ${c.name} ${c.actual}`);
    return [...fromSides, ...fromChecks];
  });
}

/** The checks a smoke run reports without judging them (targets missed on a noisy machine). */
export function unjudgedMisses(scenarios: readonly ScenarioResult[]): string[] {
  return scenarios.flatMap((s) =>
    s.checks.filter((c) => !c.pass && !/ errors$/.test(c.name))
      .map((c) => `${s.title}: ${c.name} ${c.target} (measured ${c.actual})`)
  );
}
