/**
 * The sync worker process (`deno task worker`): keeps the search index in step with the
 * sources of truth through their change feeds, sweeps expired orders and prunes old rows. Safe to
 * run beside the API and on several machines (checkpointed, idempotent, SKIP LOCKED sweeps).
 */
import { parseConfig } from "./config.ts";
import { buildRuntime, retentionOf, settingsOf } from "./composition.ts";
import { schedulePruning } from "./application/housekeeping.ts";
import { bindUseCases } from "./application/use_cases.ts";
import { runSync } from "./application/search/sync_catalog.ts";
import { requireServers, startProcess } from "./startup.ts";

async function main(): Promise<void> {
  const config = parseConfig(Deno.env.toObject());
  requireServers(config, "the sync worker", ["DATABASE_URL"], "sync and sweep");
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  const useCases = bindUseCases(ports, settingsOf(config));
  ports.logger.info("sync worker starting", {
    feeds: ports.feeds.map((f) => f.name),
    ...runtime.adapters,
  });

  const stop = new AbortController();
  const heartbeat = config.WORKER_HEARTBEAT_FILE;
  const sync = runSync(
    { ...ports, state: ports.syncState },
    ports.feeds,
    stop.signal,
    undefined,
    heartbeat ? () => Deno.writeTextFileSync(heartbeat, new Date().toISOString()) : undefined,
  );
  const sweeper = setInterval(() => {
    useCases.expireOrders().catch((error) =>
      ports.logger.error("expiry sweep failed", { error: String(error) })
    );
  }, config.SWEEP_INTERVAL_S * 1000);

  schedulePruning(ports, retentionOf(config), config.PRUNE_INTERVAL_S * 1000, stop.signal);

  const shutdown = async (signal: string) => {
    ports.logger.info("sync worker stopping", { signal });
    clearInterval(sweeper);
    stop.abort();
    await sync;
    await runtime.close();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void shutdown(signal));
  }
}

if (import.meta.main) await startProcess("polycart worker", main);
