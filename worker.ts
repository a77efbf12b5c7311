/**
 * The sync worker process (`deno task worker`): keeps the search index in step with the
 * sources of truth through their change feeds, sweeps expired orders and prunes old rows. Run
 * as many as you like beside the APIs: each duty runs in one instance at a time under a lease
 * and moves to a survivor within seconds when its holder dies (application/duties.ts).
 */
import { parseConfig } from "./config.ts";
import { buildRuntime, dutyLeaseOf, instanceHolder, retentionOf } from "./composition.ts";
import { guardProcess } from "./process_guards.ts";
import { backgroundDuties } from "./application/background_duties.ts";
import { runDuties } from "./application/duties.ts";
import { requireServers, startProcess } from "./startup.ts";

async function main(): Promise<void> {
  const config = parseConfig(Deno.env.toObject());
  requireServers(config, "the sync worker", ["DATABASE_URL"], "sync and sweep");
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  guardProcess(ports.logger);
  const holder = instanceHolder();
  ports.logger.info("sync worker starting", {
    feeds: ports.feeds.map((f) => f.name),
    holder,
    ...runtime.adapters,
  });

  // Every duty runs in one instance at a time (a lease in PostgreSQL): this worker runs those
  // it holds and stands by for the others. The heartbeat beats while its loops turn, holder
  // or not.
  const stop = new AbortController();
  const heartbeat = config.WORKER_HEARTBEAT_FILE;
  const beat = heartbeat
    ? () => Deno.writeTextFileSync(heartbeat, new Date().toISOString())
    : undefined;
  const duties = backgroundDuties(ports, {
    sweepEveryMs: config.SWEEP_INTERVAL_S * 1000,
    pruneEveryMs: config.PRUNE_INTERVAL_S * 1000,
    retention: retentionOf(config),
    onSyncPass: beat,
  });
  const running = runDuties(
    { ...ports, holder, onBeat: beat },
    duties,
    dutyLeaseOf(config),
    stop.signal,
  );

  const shutdown = async (signal: string) => {
    ports.logger.info("sync worker stopping", { signal });
    stop.abort();
    await running; // each duty stops its work and releases its lease
    await runtime.close();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void shutdown(signal));
  }
}

if (import.meta.main) await startProcess("polycart worker", main);
