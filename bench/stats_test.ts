import assert from "node:assert/strict";
import {
  atLeast,
  atMost,
  durationMs,
  exactly,
  percentile,
  pgbenchLatencies,
  pgbenchProcessed,
  pgbenchTps,
  ratio,
  summarize,
} from "./stats.ts";

Deno.test("percentile() interpolates between the closest ranks", async (t) => {
  await t.step("ends and middle", () => {
    const sorted = [1, 2, 3, 4];
    assert.equal(percentile(sorted, 0), 1);
    assert.equal(percentile(sorted, 100), 4);
    assert.equal(percentile(sorted, 50), 2.5);
  });
  await t.step("one value is every percentile; none is NaN", () => {
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
  await t.step("refuses percentiles outside 0..100", () => {
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
  });
});

Deno.test("summarize() sorts and reports count, mean, percentiles and max", () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  const s = summarize(values);
  assert.equal(s.count, 100);
  assert.equal(s.mean, 50.5);
  assert.equal(s.p50, 50.5);
  assert.ok(Math.abs(s.p99 - 99.01) < 1e-9);
  assert.equal(s.max, 100);
  assert.ok(Number.isNaN(summarize([]).p50));
});

Deno.test("ratio() is API over baseline, null without a positive baseline", () => {
  assert.equal(ratio(50, 100), 0.5);
  assert.equal(ratio(50, 0), null);
  assert.equal(ratio(NaN, 100), null);
});

Deno.test("pgbench output parsing", async (t) => {
  await t.step("per-transaction log lines give latencies in ms, failures left out", () => {
    const log = [
      "0 0 1500 0 1700000000 123456",
      "1 0 2500 0 1700000000 223456",
      "2 0 failed 0 1700000000 323456",
      "",
    ].join("\n");
    assert.deepEqual(pgbenchLatencies(log), [1.5, 2.5]);
  });
  await t.step("tps and processed counts from the report", () => {
    const report = "number of transactions actually processed: 4313\n" +
      "latency average = 2.725 ms\ntps = 1467.896528 (without initial connection time)\n";
    assert.equal(pgbenchTps(report), 1467.896528);
    assert.equal(pgbenchProcessed(report), 4313);
    assert.throws(() => pgbenchTps("nothing"), /no tps line/);
  });
});

Deno.test("durationMs() reads Elasticsearch durations", () => {
  assert.equal(durationMs("1s"), 1000);
  assert.equal(durationMs("500ms"), 500);
  assert.equal(durationMs("2m"), 120_000);
  assert.equal(durationMs("-1"), -1);
  assert.throws(() => durationMs("soon"));
});

Deno.test("checks say what was wanted and whether it was met", () => {
  assert.deepEqual(atLeast("ratio", 0.9, 0.85), {
    name: "ratio",
    target: ">= 0.85",
    actual: "0.90",
    pass: true,
  });
  assert.equal(atLeast("ratio", null, 0.5).pass, false);
  assert.equal(atMost("p95", 1300, 1250, "ms", 0).pass, false);
  assert.equal(atMost("p95", 1300, 1250, "ms", 0).target, "<= 1250 ms");
  assert.equal(atMost("p95", Infinity, 1250).pass, false);
  assert.equal(exactly("trips", 1, 1).pass, true);
  assert.equal(exactly("trips", 1.01, 1).pass, false);
});
