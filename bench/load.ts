/**
 * The two load tools: wrk (HTTP, scripted by bench/wrk_driver.lua) and pgbench (PostgreSQL).
 * Each run is pinned to the load core, samples CPU over the measured window, and comes back
 * as a `Side` of a scenario.
 */
import type { Side } from "./result.ts";
import { busiestOthers, cpuSnapshot, cpuUsage } from "./cpu_accounting.ts";
import { delay, run, spawn } from "./procs.ts";
import {
  type LatencySummary,
  pgbenchLatencies,
  pgbenchProcessed,
  pgbenchTps,
  summarize,
} from "./stats.ts";

export interface HttpSpec {
  readonly url: string;
  readonly method?: string;
  /** Rotated in order, or drawn at random when there are SKUs or several tokens. */
  readonly paths: readonly string[];
  /** Paired with `paths` by position; JSON, sent as `content-type: application/json`. */
  readonly bodies?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Each request signs in with one of these, at random (or per connection, below). */
  readonly tokens?: readonly string[];
  /**
   * Each connection signs in as one user of `tokens` for the whole run, as each pgbench
   * client is one customer (wrk then runs one thread per connection; the thread is the only
   * per-connection state its scripts have). Drawn at random, two connections would often be
   * the same customer, and that customer's orders serialize on their row.
   */
  readonly tokenPerConnection?: boolean;
  /** `{sku}` in paths and bodies becomes a random SKU of this range. */
  readonly skuRange?: readonly [number, number];
  /** Collect Elasticsearch's `took` from each response body. */
  readonly captureTook?: boolean;
}

export interface LoadOptions {
  readonly label: string;
  readonly connections: number;
  readonly durationS?: number;
  readonly loadCpu: string | null;
  /** pid -> group name for the CPU figures (the server under test, ...). */
  readonly roles?: ReadonlyMap<number, string>;
}

export interface HttpSide extends Side {
  /** Elasticsearch's own `took` (ms) over the run's responses, when captured. */
  readonly took: LatencySummary | null;
}

const WRK_DRIVER = new URL("./wrk_driver.lua", import.meta.url).pathname;

let wrkVersionText: string | undefined;

/** `wrk 4.1.0 ...`; throws with how to install it when wrk is missing. */
export async function wrkVersion(): Promise<string> {
  if (wrkVersionText) return wrkVersionText;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("wrk", { args: ["-v"], stdout: "piped", stderr: "piped" })
      .output();
  } catch {
    throw new Error("wrk is not installed: apt-get install wrk (Debian) or your system's package");
  }
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const version = /^wrk (\S+)/m.exec(text)?.[1] ?? "unknown";
  wrkVersionText = `wrk ${version.replace(/^debian\//, "")}`;
  return wrkVersionText;
}

export async function pgbenchVersion(): Promise<string> {
  return (await run(["pgbench", "--version"])).stdout.trim();
}

/** The spec as wrk_driver.lua reads it: one tab-separated setting per line. */
export function wrkSpec(spec: HttpSpec): string {
  const clean = (v: string) => {
    if (/[\t\n]/.test(v)) throw new Error(`tab or newline in a wrk setting: ${JSON.stringify(v)}`);
    return v;
  };
  const lines = [`method\t${clean(spec.method ?? "GET")}`];
  // A body is always JSON, and the API refuses an undeclared one (415).
  const headers = { ...spec.headers };
  const named = Object.keys(headers).some((k) => k.toLowerCase() === "content-type");
  if ((spec.bodies?.length ?? 0) > 0 && !named) headers["content-type"] = "application/json";
  for (const [k, v] of Object.entries(headers)) {
    lines.push(`header\t${clean(k)}\t${clean(v)}`);
  }
  for (const p of spec.paths) lines.push(`path\t${clean(p)}`);
  for (const b of spec.bodies ?? []) lines.push(`body\t${clean(b)}`);
  for (const t of spec.tokens ?? []) lines.push(`token\t${clean(t)}`);
  if (spec.skuRange) lines.push(`sku\t${spec.skuRange[0]}\t${spec.skuRange[1]}`);
  if (spec.captureTook) lines.push("took\t1");
  if (spec.tokenPerConnection) lines.push("pin\t1");
  return lines.join("\n") + "\n";
}

interface WrkSummary {
  durationUs: number;
  requests: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { mean: number; max: number; p50: number; p90: number; p95: number; p99: number };
  tooks: number[];
}

/**
 * One wrk run (one thread, or one per connection with `tokenPerConnection`; `connections`
 * connections, pinned to the load core).
 */
export async function httpLoad(spec: HttpSpec, options: LoadOptions): Promise<HttpSide> {
  const version = await wrkVersion();
  const durationS = options.durationS ?? 10;
  const dir = await Deno.makeTempDir({ prefix: "polycart-bench-" });
  try {
    const specPath = `${dir}/spec.tsv`;
    await Deno.writeTextFile(specPath, wrkSpec(spec));
    const proc = spawn("wrk", [
      "wrk",
      `--threads=${spec.tokenPerConnection ? options.connections : 1}`,
      `--connections=${options.connections}`,
      `--duration=${durationS}s`,
      "--timeout=30s",
      `--script=${WRK_DRIVER}`,
      spec.url,
      "--",
      specPath,
    ], { cpu: options.loadCpu, stdout: "piped" });
    const roles = new Map(options.roles ?? []);
    roles.set(proc.pid, "load tool");
    const outText = new Response(proc.stdout!).text();
    await delay(100);
    const before = await cpuSnapshot(roles);
    let after: Awaited<ReturnType<typeof cpuSnapshot>> | undefined;
    const sampler = delay(durationS * 1000 - 400).then(async () => {
      after = await cpuSnapshot(roles);
    });
    const status = await proc.status;
    await sampler;
    after ??= await cpuSnapshot(roles);
    const out = await outText;
    const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
    if (!status.success || !line) {
      throw new Error(`wrk failed (${status.code}):\n${out}\n${proc.tail()}`);
    }
    const w = JSON.parse(line.slice("BENCH_JSON ".length)) as WrkSummary;
    const seconds = w.durationUs / 1e6;
    const socketErrors = w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
    const ok = w.requests - w.errors.status;
    const ms = (us: number) => us / 1000;
    return {
      label: options.label,
      tool: version,
      connections: options.connections,
      durationS: Math.round(seconds * 100) / 100,
      ok,
      failed: w.errors.status + socketErrors,
      statusCodes: {
        "below 400": ok,
        ...(w.errors.status ? { "400 and above": w.errors.status } : {}),
        ...(socketErrors ? { "socket errors": socketErrors } : {}),
      },
      throughput: ok / seconds,
      latency: {
        count: w.requests,
        mean: ms(w.latencyUs.mean),
        p50: ms(w.latencyUs.p50),
        p90: ms(w.latencyUs.p90),
        p95: ms(w.latencyUs.p95),
        p99: ms(w.latencyUs.p99),
        max: ms(w.latencyUs.max),
      },
      cpu: cpuUsage(before, after),
      others: busiestOthers(before, after),
      took: w.tooks.length > 0 ? summarize(w.tooks) : null,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

export interface PgbenchOptions extends LoadOptions {
  readonly url: string;
  readonly script: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Transactions per client instead of a duration. */
  readonly transactionsPerClient?: number;
}

/** One pgbench run with `-M prepared` and a per-transaction log for the percentiles. */
export async function pgbenchLoad(options: PgbenchOptions): Promise<Side> {
  const version = (await pgbenchVersion()).replace(
    /^pgbench \(PostgreSQL\) /,
    "",
  );
  const dir = await Deno.makeTempDir({ prefix: "polycart-pgbench-" });
  try {
    const script = `${dir}/script.sql`;
    await Deno.writeTextFile(script, options.script);
    const args = [
      "pgbench",
      "--no-vacuum",
      "--protocol=prepared",
      `--client=${options.connections}`,
      "--jobs=1",
      options.transactionsPerClient
        ? `--transactions=${options.transactionsPerClient}`
        : `--time=${options.durationS}`,
      `--file=${script}`,
      ...Object.entries(options.variables).map(([k, v]) => `--define=${k}=${v}`),
      "--log",
      `--log-prefix=${dir}/txlog`,
      options.url,
    ];
    const proc = spawn("pgbench", args, {
      cpu: options.loadCpu,
      stdout: "piped",
      cwd: dir,
    });
    const roles = new Map(options.roles ?? []);
    roles.set(proc.pid, "load tool");
    const outText = new Response(proc.stdout!).text();
    // Connections open in the first few ms; sample the steady state.
    await delay(200);
    const before = await cpuSnapshot(roles);
    let after: Awaited<ReturnType<typeof cpuSnapshot>> | undefined;
    const sampler = options.durationS
      ? delay(options.durationS * 1000 - 500).then(async () => {
        after = await cpuSnapshot(roles);
      })
      : Promise.resolve();
    const status = await proc.status;
    await sampler;
    after ??= await cpuSnapshot(roles);
    const report = await outText;
    if (!status.success) {
      throw new Error(
        `pgbench failed (${status.code}):\n${report}\n${proc.tail()}`,
      );
    }
    let log = "";
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith("txlog")) {
        log += await Deno.readTextFile(`${dir}/${entry.name}`);
      }
    }
    const latencies = pgbenchLatencies(log);
    const processed = pgbenchProcessed(report);
    const failedMatch = /^number of failed transactions: (\d+)/m.exec(report);
    const failed = failedMatch ? Number(failedMatch[1]) : 0;
    const tps = pgbenchTps(report);
    return {
      label: options.label,
      tool: `pgbench ${version}`,
      connections: options.connections,
      durationS: options.durationS ?? Math.round((processed / tps) * 100) / 100,
      ok: processed,
      failed,
      statusCodes: {},
      throughput: tps,
      latency: summarize(latencies),
      cpu: cpuUsage(before, after),
      others: busiestOthers(before, after),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
