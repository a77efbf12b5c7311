/** The API process: configuration, adapters, use cases, HTTP, background loops, shutdown. */
import { parseConfig } from "./config.ts";
import { buildRuntime, retentionOf, settingsOf } from "./composition.ts";
import { schedulePruning } from "./application/housekeeping.ts";
import { bindUseCases } from "./application/use_cases.ts";
import { runSync } from "./application/search/sync_catalog.ts";
import { buildApp } from "./adapters/http/app.ts";
import { servePort, startProcess } from "./startup.ts";

async function main(): Promise<void> {
  const config = parseConfig(Deno.env.toObject());
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  const useCases = bindUseCases(ports, settingsOf(config));
  ports.logger.info("adapters selected", runtime.adapters);

  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await useCases.ensureAdmin({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    ports.logger.info("admin account ensured", { email: config.ADMIN_EMAIL });
  }

  const stop = new AbortController();
  const background: Promise<unknown>[] = [];
  if (config.SYNC_IN_PROCESS) {
    background.push(runSync({ ...ports, state: ports.syncState }, ports.feeds, stop.signal));
    const sweeper = setInterval(() => {
      useCases.expireOrders().catch((error) =>
        ports.logger.error("expiry sweep failed", { error: String(error) })
      );
    }, config.SWEEP_INTERVAL_S * 1000);
    stop.signal.addEventListener("abort", () => clearInterval(sweeper));
    schedulePruning(ports, retentionOf(config), config.PRUNE_INTERVAL_S * 1000, stop.signal);
  }

  const app = buildApp(useCases, {
    trustProxy: config.TRUST_PROXY,
    rateLimit: config.RATE_LIMIT_ENABLED,
  });
  const server = servePort(config, () =>
    Deno.serve({
      port: config.PORT,
      hostname: "0.0.0.0",
      onListen: ({ port }) => ports.logger.info("listening", { port }),
    }, app.fetch));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ports.logger.info("shutting down: draining requests", { signal });
    await server.shutdown(); // stops accepting, waits for in-flight requests
    stop.abort();
    await Promise.allSettled(background);
    await runtime.close();
    ports.logger.info("stopped");
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void shutdown(signal));
  }
}

if (import.meta.main) await startProcess("polycart api", main);
