import assert from "node:assert/strict";
import type { ScenarioResult, Side } from "./result.ts";
import { smokeFailures, unjudgedMisses } from "./smoke.ts";
import { summarize } from "./stats.ts";

function side(failed: number, statusCodes: Record<string, number> = {}): Side {
  return {
    label: "side",
    tool: "wrk 4.1.0",
    connections: 10,
    durationS: 2,
    ok: 100,
    failed,
    statusCodes,
    throughput: 50,
    latency: summarize([1, 2, 3]),
    cpu: {},
  };
}

const slowButRight: ScenarioResult = {
  id: "checkout",
  title: "checkout",
  baselineTitle: "pgbench",
  api: side(0),
  baseline: side(0),
  ratio: 0.1,
  checks: [
    { name: "ratio", target: ">= 0.6", actual: "0.10", pass: false },
    { name: "API p99 vs 3x pgbench p99", target: "<= 20 ms", actual: "90 ms", pass: false },
    { name: "API errors", target: "= 0", actual: "0", pass: true },
  ],
  figures: {},
  notes: [],
};

Deno.test("smokeFailures(): only scenarios that could not run or answered errors", async (t) => {
  await t.step("missed ratios and latencies do not fail a smoke; they are listed", () => {
    assert.deepEqual(smokeFailures([slowButRight]), []);
    assert.deepEqual(unjudgedMisses([slowButRight]), [
      "checkout: ratio >= 0.6 (measured 0.10)",
      "checkout: API p99 vs 3x pgbench p99 <= 20 ms (measured 90 ms)",
    ]);
  });

  await t.step("a scenario that could not run fails it", () => {
    const broken = { ...slowButRight, api: null, baseline: null, checks: [], error: "wrk: boom" };
    assert.deepEqual(smokeFailures([broken]), ["checkout: not run: wrk: boom"]);
  });

  await t.step("error answers on either side fail it, once each, with their status codes", () => {
    const failing: ScenarioResult = {
      ...slowButRight,
      api: side(3, { "below 400": 97, "400 and above": 3 }),
      baseline: side(2),
      checks: [
        ...slowButRight.checks.slice(0, 2),
        { name: "API errors", target: "= 0", actual: "3", pass: false },
      ],
    };
    assert.deepEqual(smokeFailures([failing]), [
      "checkout: API answered 3 errors (below 400: 97, 400 and above: 3)",
      "checkout: baseline (pgbench) answered 2 errors",
    ]);
  });

  await t.step("errors counted by a scenario's other runs fail it too", () => {
    const probe: ScenarioResult = {
      ...slowButRight,
      checks: [{ name: "drain probe errors", target: "= 0", actual: "4", pass: false }],
    };
    assert.deepEqual(smokeFailures([probe]), ["checkout: drain probe errors 4"]);
    assert.deepEqual(unjudgedMisses([probe]), []);
  });
});
