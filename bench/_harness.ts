/**
 * What every bench scenario shares: the run's context, starting the API and the bench-only
 * servers, measuring a side (warm-up, a steadier second run when others took the CPU), and
 * building a scenario's result. The scenarios themselves are in bench/*_scenario.ts.
 */
import { apiEnv, CATALOG_FIRST_SKU, CATALOG_SIZE, catalogSku } from "./fixtures.ts";
import {
  httpLoad,
  type HttpSide,
  type HttpSpec,
  pgbenchLoad,
  type PgbenchOptions,
} from "./load.ts";
import { waitForQuiet } from "./cpu_accounting.ts";
import { type Proc, spawn, waitForHttp } from "./procs.ts";
import { monitorWhile } from "./redis_monitor.ts";
import { foreignCpu, type ScenarioResult, type Side } from "./result.ts";
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

// ---- processes ---------------------------------------------------------------------------

const DENO = Deno.execPath();

/**
 * The argv of deno.json task `name` (`start`, `worker`), so the bench runs what users run. A
 * task is a command string or `{ command, dependencies, description }`; either way it must be a
 * `deno run` command. Its `.ts` entry points become absolute under `root`, `deno` the binary.
 */
export function taskArgv(
  config: { tasks?: Record<string, unknown> },
  name: string,
  root: string,
  deno: string,
): string[] {
  const task = config.tasks?.[name];
  const command = typeof task === "string"
    ? task
    : typeof task === "object" && task !== null && "command" in task
    ? (task as { command: unknown }).command
    : undefined;
  if (typeof command !== "string" || !command.trim().startsWith("deno run ")) {
    throw new Error(
      `deno.json task ${name} is not a "deno run" command: ${JSON.stringify(task)}`,
    );
  }
  const [, ...args] = command.trim().split(/\s+/);
  return [deno, ...args.map((a) => (a.endsWith(".ts") && !a.startsWith("-") ? `${root}${a}` : a))];
}

export async function taskCommand(name: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  return taskArgv(config, name, ROOT, DENO);
}

export async function startApi(
  s: BenchSettings,
  extra: Record<string, string> = {},
): Promise<Proc> {
  const proc = spawn("api", withFdLimit(await taskCommand("start")), {
    cpu: s.serverCpu,
    env: apiEnv(s, extra),
    cwd: ROOT,
    // The whole log, where the tail of 200 lines is not enough to find why it failed.
    logFile: Deno.env.get("BENCH_API_LOG")?.trim() || undefined,
  });
  await waitForHttp(`http://127.0.0.1:${s.apiPort}/health`, proc);
  return proc;
}

export async function startHello(
  s: BenchSettings,
  mode: "hono" | "bare",
): Promise<Proc> {
  const proc = spawn(`hello (${mode})`, [
    DENO,
    "run",
    "--allow-net",
    `${BENCH}hello_server.ts`,
    mode,
    String(s.helloPort),
  ], { cpu: s.serverCpu, cwd: ROOT });
  await waitForHttp(`http://127.0.0.1:${s.helloPort}/hello`, proc);
  return proc;
}

export async function withProc<T>(
  start: Promise<Proc>,
  body: (p: Proc) => Promise<T>,
): Promise<T> {
  const proc = await start;
  try {
    return await body(proc);
  } finally {
    await proc.stop();
  }
}

// ---- load helpers ------------------------------------------------------------------------

/** Sides of the current scenario that had to start while the machine was busy. */
let busyStarts: string[] = [];

/** Starts a scenario's list of interference notes afresh. */
export function resetBusyStarts(): void {
  busyStarts = [];
}

/** The interference noted since the last reset. */
export function busyStartsSoFar(): readonly string[] {
  return busyStarts;
}

export async function quietly(s: BenchSettings, label: string): Promise<void> {
  if (s.smoke) return; // a smoke judges errors only: no waiting for the machine
  const busy = await waitForQuiet();
  if (busy > 25) {
    busyStarts.push(`${label} started with the machine ${busy}% busy (after waiting 30 s)`);
  }
}

/** A warm-up run (discarded) and the measured run, same spec. */
/** CPU above this (percent of one core) from processes a side does not use marks it disturbed. */
const FOREIGN_LIMIT = 25;

/**
 * Runs `once` again when foreign processes used more than FOREIGN_LIMIT of a core meanwhile
 * (at most twice in all), keeping the least disturbed run; every run is returned for accounting.
 */
export async function steady<T extends Side>(
  s: BenchSettings,
  label: string,
  uses: readonly string[],
  once: () => Promise<T>,
): Promise<{ side: T; runs: T[] }> {
  const runs: T[] = [];
  let best: { side: T; foreign: number } | undefined;
  const attempts = s.smoke ? 1 : 2; // a smoke judges errors, not figures: one run is enough
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await quietly(s, label);
    const side = await once();
    runs.push(side);
    const foreign = foreignCpu(side, uses);
    if (!best || foreign < best.foreign) best = { side, foreign };
    if (foreign <= FOREIGN_LIMIT || attempt === attempts) break;
    log(`  ${label}: other processes used ${foreign}% of a core meanwhile; measuring again`);
  }
  if (best!.foreign > FOREIGN_LIMIT && !s.smoke) {
    const who = best!.side.others?.length ? ` (busiest: ${best!.side.others.join(", ")})` : "";
    busyStarts.push(
      `${label}: other processes used ${
        best!.foreign
      }% of a core during the better of 2 runs${who}`,
    );
  }
  return { side: best!.side, runs };
}

export function report(label: string, side: Side): void {
  log(
    `  ${label}: ${Math.round(side.throughput)}/s, p50 ${side.latency.p50.toFixed(2)} ms, ` +
      `p99 ${side.latency.p99.toFixed(2)} ms, failed ${side.failed}`,
  );
}

/** A warm-up run (discarded) and the measured run, same spec; `uses` names the servers. */
export async function measureHttp(
  ctx: Pick<Ctx, "s">,
  spec: HttpSpec,
  label: string,
  server: Proc | null,
  uses: readonly string[],
  options: { connections?: number; warm?: boolean } = {},
): Promise<{ side: HttpSide; runs: HttpSide[] }> {
  const { s } = ctx;
  const roles = new Map(server ? [[server.pid, "server under test"]] : []);
  const connections = options.connections ?? s.connections;
  const base = { label, connections, loadCpu: s.loadCpu, roles };
  await quietly(s, label);
  const warm = s.warmupS > 0 && options.warm !== false
    ? await httpLoad(spec, { ...base, durationS: s.warmupS })
    : null;
  const measured = await steady(
    s,
    label,
    uses,
    () => httpLoad(spec, { ...base, durationS: s.durationS }),
  );
  report(label, measured.side);
  return { side: measured.side, runs: [...(warm ? [warm] : []), ...measured.runs] };
}

export async function measurePgbench(
  ctx: Pick<Ctx, "s" | "pgbenchScript">,
  variables: Record<string, string>,
  label: string,
): Promise<{ side: Side; runs: Side[] }> {
  const { s } = ctx;
  const base: PgbenchOptions = {
    label,
    url: s.databaseUrl,
    script: ctx.pgbenchScript,
    variables,
    connections: s.connections,
    loadCpu: s.loadCpu,
  };
  await quietly(s, label);
  const warm = s.warmupS > 0 ? await pgbenchLoad({ ...base, durationS: s.warmupS }) : null;
  const measured = await steady(
    s,
    label,
    ["postgres"],
    () => pgbenchLoad({ ...base, durationS: s.durationS }),
  );
  report(label, measured.side);
  return { side: measured.side, runs: [...(warm ? [warm] : []), ...measured.runs] };
}

export function helloSpec(s: BenchSettings): HttpSpec {
  return { url: `http://127.0.0.1:${s.helloPort}`, paths: ["/hello"] };
}

export const catalogRange = [
  CATALOG_FIRST_SKU,
  CATALOG_FIRST_SKU + CATALOG_SIZE - 1,
] as const;

export function productSpec(ctx: Ctx): HttpSpec {
  return {
    url: ctx.apiBase,
    paths: ["/products/{sku}"],
    skuRange: catalogRange,
  };
}

/**
 * `count` requests (paths cycled) with `concurrency` in flight; counts answers by status.
 * Used where the number of requests matters, not the rate (verification passes, probes).
 */
export async function burst(
  base: string,
  paths: readonly string[],
  count: number,
  init: (i: number) => RequestInit = () => ({}),
  concurrency = 10,
): Promise<Record<string, number>> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(base + paths[i % paths.length], init(i));
      await res.body?.cancel();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/** Like `burst` for GETs that must all succeed. */
export async function getAll(base: string, paths: readonly string[], count: number): Promise<void> {
  const statuses = await burst(base, paths, count);
  const bad = Object.entries(statuses).filter(([code]) => !code.startsWith("2"));
  if (bad.length > 0) throw new Error(`GET ${paths[0]}...: ${JSON.stringify(statuses)}`);
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

/** Redis commands per request while `requests` product reads run, by purpose. */
export async function redisPerRequest(
  ctx: Ctx,
  requests: number,
): Promise<Record<string, number>> {
  const paths = Array.from(
    { length: CATALOG_SIZE },
    (_, i) => `/products/${catalogSku(i)}`,
  );
  const counts = await monitorWhile(ctx.s.redisUrl, ctx.s.redisDb, async () => {
    await getAll(ctx.apiBase, paths, requests);
  });
  return Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [k, v / requests]),
  );
}

/**
 * `argv` run with the soft file-descriptor limit raised to the hard one (the 10,000 users
 * scenario holds that many connections), through `sh`, which then becomes the program (same pid).
 */
export function withFdLimit(argv: readonly string[]): string[] {
  return ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...argv];
}

/** A bench-only baseline server (bench/baseline_server.ts) on the hello port, on the server core. */
export async function startBaseline(
  s: BenchSettings,
  args: readonly string[],
  probePath: string,
  env?: Record<string, string>,
): Promise<Proc> {
  const proc = spawn(`baseline (${args[0]})`, [
    DENO,
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-sys",
    `${BENCH}baseline_server.ts`,
    args[0],
    String(s.helloPort),
    ...args.slice(1),
  ], { cpu: s.serverCpu, cwd: ROOT, env });
  await waitForHttp(`http://127.0.0.1:${s.helloPort}${probePath}`, proc);
  return proc;
}
