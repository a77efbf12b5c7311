/**
 * Measuring a side: a warm-up, then the measured run, repeated when other processes took the
 * CPU meanwhile; and the interference notes a scenario's result carries.
 */
import { waitForQuiet } from "./cpu_accounting.ts";
import {
  httpLoad,
  type HttpSide,
  type HttpSpec,
  pgbenchLoad,
  type PgbenchOptions,
} from "./load.ts";
import type { Proc } from "./procs.ts";
import { foreignCpu, type Side } from "./result.ts";
import type { BenchSettings } from "./settings.ts";
import { type Ctx, log } from "./_harness.ts";

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
