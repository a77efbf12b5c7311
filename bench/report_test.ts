import assert from "node:assert/strict";
import { readmeSection, replaceReadmeSection } from "./readme_section.ts";
import { fmtMs, fmtRate, renderMarkdown, summaryTable, verdict } from "./report.ts";
import {
  type BenchResult,
  foreignCpu,
  resultName,
  type ScenarioResult,
  type Side,
} from "./result.ts";
import { summarize } from "./stats.ts";

function side(label: string, throughput: number): Side {
  return {
    label,
    tool: "wrk 4.1.0",
    connections: 10,
    durationS: 10,
    ok: throughput * 10,
    failed: 0,
    statusCodes: { "below 400": throughput * 10 },
    throughput,
    latency: summarize([1, 2, 3]),
    cpu: { "server under test": 97, machine: 180 },
  };
}

const passing: ScenarioResult = {
  id: "hello",
  title: "Hono JSON hello route",
  baselineTitle: "bare Deno.serve",
  api: side("Hono", 90_000),
  baseline: side("bare", 100_000),
  ratio: 0.9,
  checks: [{ name: "ratio", target: ">= 0.85", actual: "0.90", pass: true }],
  figures: { "same bytes": true },
  notes: ["a note"],
};

const missing: ScenarioResult = {
  ...passing,
  id: "product",
  title: "GET /products/:sku",
  ratio: 0.1,
  checks: [{ name: "ratio", target: ">= 0.5", actual: "0.10", pass: false }],
};

const result: BenchResult = {
  date: "2025-03-03",
  commit: "abc1234",
  dirty: false,
  startedAt: "2025-03-03T10:00:00.000Z",
  elapsedS: 300,
  machine: {
    cores: 2,
    cpuModel: "Test CPU",
    memoryGiB: 24,
    kernel: "6.1",
    os: "linux x86_64",
    versions: { deno: "2.9.6" },
    pinning: "server on core 0, load on core 1",
  },
  settings: { connections: 10 },
  scenarios: [passing, missing],
  bounds: [{ scenario: "GET /products/:sku", text: "Redis round trips" }],
};

Deno.test("result formatting", async (t) => {
  await t.step("file names are the start time and the short commit, and name a subset", () => {
    const at = new Date("2025-03-03T23:59:00Z");
    assert.equal(resultName(at, "abc1234"), "2025-03-03-2359-abc1234");
    assert.equal(
      resultName(at, "abc1234", ["product", "ratelimit"]),
      "2025-03-03-2359-abc1234-only-product+ratelimit",
    );
  });

  await t.step("numbers keep a sensible precision", () => {
    assert.equal(fmtRate(12_345.6), "12,346");
    assert.equal(fmtRate(45.67), "45.7");
    assert.equal(fmtMs(0.1234), "0.12");
    assert.equal(fmtMs(12.34), "12.3");
    assert.equal(fmtMs(123.4), "123");
    assert.equal(fmtMs(NaN), "n/a");
  });

  await t.step("verdicts name the missed checks", () => {
    assert.equal(verdict(passing), "pass");
    assert.equal(verdict(missing), "**miss**: ratio");
    assert.equal(verdict({ ...passing, error: "boom" }), "not run");
  });

  await t.step("the summary table has one row per scenario, both sides", () => {
    const rows = summaryTable([passing, missing]).split("\n");
    assert.equal(rows.length, 4);
    assert.match(
      rows[2],
      /^\| Hono JSON hello route \| 90,000 \| 2\.00 \| 2\.98 \| bare Deno.serve \| 100,000 /,
    );
    assert.match(rows[3], /\*\*miss\*\*: ratio \|$/);
  });

  await t.step("each results file records the commit it measured, and whether it was dirty", () => {
    const json = JSON.parse(JSON.stringify(result));
    assert.equal(json.commit, "abc1234");
    assert.equal(json.dirty, false);
    assert.match(renderMarkdown(result), /^# Benchmark 2025-03-03 at abc1234\n/);
    assert.match(
      renderMarkdown({ ...result, dirty: true }),
      /^# Benchmark 2025-03-03 at abc1234 \(uncommitted changes\)\n/,
    );
    assert.match(readmeSection(result, "bench/results/x.md"), /commit abc1234/);
  });

  await t.step("a smoke run's file says it is no measurement", () => {
    const md = renderMarkdown({ ...result, smoke: true });
    assert.match(md, /^# Benchmark smoke run 2025-03-03 at abc1234\n/);
    assert.match(md, /deno task bench:smoke.*no measurement/s);
    assert.doesNotMatch(renderMarkdown(result), /smoke/);
  });

  await t.step("the results file carries the machine, every scenario and the bounds", () => {
    const md = renderMarkdown(result);
    assert.match(md, /^# Benchmark 2025-03-03 at abc1234\n/);
    assert.match(md, /2 cores: Test CPU; 24\.0 GiB memory/);
    assert.match(md, /- deno: 2\.9\.6/);
    assert.match(md, /### GET \/products\/:sku/);
    assert.match(md, /- MISS: ratio >= 0\.5, measured 0\.10/);
    assert.match(md, /CPU \(% of one core\): server under test 97%, machine 180%/);
    assert.match(md, /server CPU per request: 11 µs/); // 0.97 core / 90,000 per second
    assert.match(
      md,
      /## What bounds the misses\n\n- \*\*GET \/products\/:sku\*\*: Redis round trips/,
    );
  });
});

Deno.test("foreignCpu() sums the groups a side neither is nor uses", () => {
  const s = {
    ...side("API", 1),
    cpu: { "server under test": 90, redis: 30, other: 12, mongo: 20, machine: 170 },
  };
  assert.equal(foreignCpu(s, ["redis"]), 32);
  assert.equal(foreignCpu(s, ["redis", "mongo"]), 12);
});

Deno.test("replaceReadmeSection()", async (t) => {
  const section = readmeSection(result, "bench/results/2025-03-03-abc1234.md");
  const readme = "# P\n\n## Configuration\n\ntext\n\n## Tests\n\nrun them\n";

  await t.step("inserts the section before ## Tests", () => {
    const out = replaceReadmeSection(readme, section);
    assert.ok(out.indexOf("## Benchmarks") < out.indexOf("## Tests"));
    assert.ok(out.startsWith("# P\n\n## Configuration\n\ntext\n\n## Benchmarks\n"));
    assert.ok(out.endsWith("## Tests\n\nrun them\n"));
    assert.match(out, /1 of 2 scenarios meet every target/);
  });

  await t.step("replaces an existing section and nothing else", () => {
    const once = replaceReadmeSection(readme, section);
    const twice = replaceReadmeSection(once, "## Benchmarks\n\nnew text\n");
    assert.equal(
      twice,
      "# P\n\n## Configuration\n\ntext\n\n## Benchmarks\n\nnew text\n\n## Tests\n\nrun them\n",
    );
  });

  await t.step("a README without ## Tests is refused", () => {
    assert.throws(() => replaceReadmeSection("# P\n", section), /Tests/);
  });
});
