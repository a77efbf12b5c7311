/** The API process: configuration, adapters, use cases, HTTP, background loops, shutdown. */
import { parseConfig } from "./config.ts";
import {
  buildRuntime,
  dutyLeaseOf,
  instanceHolder,
  retentionOf,
  settingsOf,
} from "./composition.ts";
import { backgroundDuties } from "./application/background_duties.ts";
import { runDuties } from "./application/duties.ts";
import { bindUseCases } from "./application/use_cases.ts";
import { buildApp } from "./adapters/http/app.ts";
import { servePort, startProcess } from "./startup.ts";
import { guardProcess } from "./process_guards.ts";
import { keepListening } from "./listener.ts";
import { seedDemoOrders } from "./adapters/memory/seed_orders.ts";

async function main(): Promise<void> {
  const config = parseConfig(Deno.env.toObject());
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  // A stray rejection or throw (seen under overload) is logged; it never ends the server.
  guardProcess(ports.logger);
  const useCases = bindUseCases(ports, settingsOf(config));
  ports.logger.info("adapters selected", runtime.adapters);

  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await useCases.ensureAdmin({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    ports.logger.info("admin account ensured", { email: config.ADMIN_EMAIL });
  }

  // The demo store (no servers configured): orders with shipping and tax to look at.
  if (config.SEED && runtime.adapters.all === "memory") {
    await seedDemoOrders(useCases, ports.logger);
  }

  const stop = new AbortController();
  const background: Promise<unknown>[] = [];
  if (config.SYNC_IN_PROCESS) {
    // Each duty runs in one instance at a time (a lease in PostgreSQL); this one offers to.
    const holder = instanceHolder();
    ports.logger.info("offering background duties", { holder });
    const duties = backgroundDuties(ports, {
      sweepEveryMs: config.SWEEP_INTERVAL_S * 1000,
      pruneEveryMs: config.PRUNE_INTERVAL_S * 1000,
      retention: retentionOf(config),
    });
    background.push(runDuties({ ...ports, holder }, duties, dutyLeaseOf(config), stop.signal));
  }

  const app = buildApp(useCases, {
    trustProxy: config.TRUST_PROXY,
    rateLimit: config.RATE_LIMIT_ENABLED,
    maxInFlight: config.MAX_REQUESTS_IN_FLIGHT || undefined,
    maxWritesInFlight: config.MAX_WRITES_IN_FLIGHT || undefined,
  });
  // Started again if its accept loop dies (EMFILE under a flood of connections).
  const server = keepListening(() =>
    servePort(config, () =>
      Deno.serve({
        port: config.PORT,
        hostname: "0.0.0.0",
        onListen: ({ port }) => ports.logger.info("listening", { port }),
      }, app.fetch)), ports.logger);

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
