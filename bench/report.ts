/**
 * The results file's Markdown rendering of a benchmark run, and the formatting of its figures
 * (the summary table is also the README's). Pure: `report_test.ts` covers it.
 */
import { type BenchResult, type ScenarioResult, serverCpuPerOp, type Side } from "./result.ts";

export function fmtRate(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function fmtRatio(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(2);
}

/** ✅ when every check passed, ❌ with the failed names otherwise. */
export function verdict(s: ScenarioResult): string {
  if (s.error) return "not run";
  const failed = s.checks.filter((c) => !c.pass);
  return failed.length === 0 ? "pass" : `**miss**: ${failed.map((c) => c.name).join(", ")}`;
}

function targets(s: ScenarioResult): string {
  return s.checks.map((c) => `${c.name} ${c.target} (${c.actual})`).join("; ");
}

function sideCells(side: Side | null): string[] {
  if (!side) return ["", "", ""];
  return [
    fmtRate(side.throughput),
    fmtMs(side.latency.p50),
    fmtMs(side.latency.p99),
  ];
}

/** The summary table: one row per scenario, API and baseline side by side. */
export function summaryTable(scenarios: readonly ScenarioResult[]): string {
  const rows = [
    "| scenario | API req/s | API p50 ms | API p99 ms | baseline | baseline ops/s | baseline p50 ms | baseline p99 ms | ratio | targets (measured) | result |",
    "|---|---:|---:|---:|---|---:|---:|---:|---:|---|---|",
  ];
  for (const s of scenarios) {
    rows.push(
      `| ${
        [
          s.title,
          ...sideCells(s.api),
          s.baselineTitle,
          ...sideCells(s.baseline),
          fmtRatio(s.ratio),
          targets(s) || (s.error ?? ""),
          verdict(s),
        ].join(" | ")
      } |`,
    );
  }
  return rows.join("\n");
}

function sideDetail(name: string, side: Side): string[] {
  const codes = Object.entries(side.statusCodes).map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const cpu = Object.entries(side.cpu).map(([k, v]) => `${k} ${v.toFixed(0)}%`)
    .join(", ");
  const l = side.latency;
  return [
    `- **${name}** (${side.label}; ${side.tool}, ${side.connections} connections, ` +
    `${side.durationS} s): ${fmtRate(side.throughput)}/s, ${side.ok} ok, ${side.failed} failed` +
    (codes ? ` (${codes})` : ""),
    `  - latency ms: mean ${fmtMs(l.mean)}, p50 ${fmtMs(l.p50)}, p90 ${fmtMs(l.p90)}, ` +
    `p95 ${fmtMs(l.p95)}, p99 ${fmtMs(l.p99)}, max ${fmtMs(l.max)}`,
    ...(cpu ? [`  - CPU (% of one core): ${cpu}`] : []),
    ...(serverCpuPerOp(side) !== null
      ? [`  - server CPU per request: ${serverCpuPerOp(side)!.toFixed(0)} µs`]
      : []),
  ];
}

/** The whole results file. */
export function renderMarkdown(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `# Benchmark${result.smoke ? " smoke run" : ""} ${result.date} at ${result.commit}${
      result.dirty ? " (uncommitted changes)" : ""
    }`,
    "",
    `Started ${result.startedAt}, took ${Math.round(result.elapsedS)} s. ` +
    (result.smoke
      ? "Produced by `deno task bench:smoke` (bench/run.ts --smoke): a few seconds per side on " +
        "a machine nobody waited to be quiet, so the figures only show that every scenario runs " +
        "without errors; they are no measurement"
      : "Produced by `deno task bench` (bench/run.ts)") +
    "; raw figures in the .json beside this file.",
    "",
    "## Machine",
    "",
    `- ${m.cores} cores: ${m.cpuModel}; ${m.memoryGiB.toFixed(1)} GiB memory; ` +
    `kernel ${m.kernel} (${m.os})`,
    `- pinning: ${m.pinning}`,
    ...Object.entries(m.versions).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "## Settings",
    "",
    ...Object.entries(result.settings).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "## Summary",
    "",
    summaryTable(result.scenarios),
    "",
    "## Scenarios",
  ];
  for (const s of result.scenarios) {
    lines.push("", `### ${s.title}`, "");
    if (s.error) lines.push(`Not run: ${s.error}`, "");
    if (s.api) lines.push(...sideDetail("API", s.api));
    if (s.baseline) {
      lines.push(...sideDetail(`baseline: ${s.baselineTitle}`, s.baseline));
    }
    if (s.ratio !== null) {
      lines.push(`- ratio API / baseline: ${fmtRatio(s.ratio)}`);
    }
    for (const c of s.checks) {
      lines.push(
        `- ${c.pass ? "pass" : "MISS"}: ${c.name} ${c.target}, measured ${c.actual}`,
      );
    }
    for (const [k, v] of Object.entries(s.figures)) lines.push(`- ${k}: ${v}`);
    for (const note of s.notes) lines.push(`- note: ${note}`);
  }
  if (result.bounds.length > 0) {
    lines.push("", "## What bounds the misses", "");
    for (const b of result.bounds) lines.push(`- **${b.scenario}**: ${b.text}`);
  }
  return lines.join("\n") + "\n";
}
