/**
 * The composition root: picks one adapter per port from the configuration (memory when a
 * server's URL is unset), logs the choice, and knows how to close what it opened. `main.ts`
 * (API), `worker.ts` (search sync) and the reindex task share it.
 */
import type { Config } from "./config.ts";
import type { Ports, Settings } from "./application/use_cases.ts";
import { memoryPorts } from "./adapters/memory/memory_ports.ts";
import { JsonLogger } from "./adapters/system/logger.ts";
import { SystemClock } from "./adapters/system/clock.ts";
import { RandomIds } from "./adapters/system/ids.ts";
import { ScryptPasswordHasher } from "./adapters/crypto/scrypt_password_hasher.ts";
import { TestPaymentGateway } from "./adapters/payments/test_gateway.ts";

export interface Runtime {
  readonly ports: Ports;
  /** Which adapter serves each port, for the startup log. */
  readonly adapters: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export function settingsOf(config: Config): Settings {
  return {
    orderTtlMs: config.ORDER_TTL_MINUTES * 60_000,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    rateLimit: { limit: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_S * 1000 },
    loginRateLimit: {
      limit: config.LOGIN_RATE_LIMIT_MAX,
      windowMs: config.LOGIN_RATE_LIMIT_WINDOW_S * 1000,
    },
  };
}

export async function buildRuntime(config: Config): Promise<Runtime> {
  const logger = new JsonLogger();
  const memory = await memoryPorts({
    clock: new SystemClock(),
    ids: new RandomIds(),
    logger,
    hasher: new ScryptPasswordHasher(),
    gateways: [new TestPaymentGateway()],
    seed: config.SEED,
  });
  const ports: Ports = { ...memory.ports };
  const adapters: Record<string, string> = {};
  for (const name of Object.keys(ports) as (keyof Ports)[]) {
    if (["clock", "ids", "logger", "hasher", "gateways", "health", "feeds"].includes(name)) {
      continue;
    }
    adapters[name] = "memory";
  }
  return { ports, adapters, close: () => Promise.resolve() };
}
