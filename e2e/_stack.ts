/**
 * The production composition on the four real servers, isolated per test: its own
 * PostgreSQL schema, MongoDB database, Elasticsearch alias and Redis key prefix.
 */
import postgres from "postgres";
import { parseConfig } from "../config.ts";
import { buildRuntime, type Runtime, settingsOf } from "../composition.ts";
import { bindUseCases, type Ports, type UseCases } from "../application/use_cases.ts";
import { runSync, type SyncOptions } from "../application/search/sync_catalog.ts";
import { buildApp } from "../adapters/http/app.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import { createMongoClient } from "../adapters/mongo/client.ts";
import { createElasticsearchClient } from "../adapters/elasticsearch/client.ts";
import { integrationUrl, uniqueName } from "../testing/integration.ts";

const VARIABLES = ["DATABASE_URL", "REDIS_URL", "MONGO_URL", "ELASTICSEARCH_URL"] as const;

export function stackUrls(): Record<(typeof VARIABLES)[number], string> | null {
  const urls = Object.fromEntries(VARIABLES.map((v) => [v, integrationUrl(v)]));
  return Object.values(urls).every(Boolean) ? urls as Record<string, string> : null;
}

export const FAST_SYNC: SyncOptions = { batchSize: 200, waitMs: 100, attempts: 3, backoffMs: 50 };

export interface Stack {
  /** The schema, database, index prefix and key prefix this stack owns. */
  readonly name: string;
  readonly runtime: Runtime;
  readonly ports: Ports;
  readonly useCases: UseCases;
  readonly app: ReturnType<typeof buildApp>;
  /** Starts the sync loop in this process, optionally with replaced ports (e.g. a spy index). */
  startSync(overrides?: Partial<Ports>): void;
  stopSync(): Promise<void>;
  close(): Promise<void>;
}

/** `extra`: more configuration (e.g. Stripe's keys and API base) on top of the isolation. */
export async function openStack(
  urls: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<Stack> {
  const name = uniqueName("e2e").toLowerCase();
  const admin = postgres(urls.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA "${name}"`);
  const config = parseConfig({
    ...urls,
    PG_SCHEMA: name,
    MIGRATE_ON_START: "1",
    MONGO_DB: name,
    ES_INDEX_PREFIX: name,
    REDIS_PREFIX: `${name}:`,
    SEED: "0",
    RATE_LIMIT_MAX: "100000",
    ...extra,
  });
  const runtime = await buildRuntime(config, new JsonLogger({ silent: true }));
  const useCases = bindUseCases(runtime.ports, settingsOf(config));
  let sync: { stop: AbortController; done: Promise<void> } | null = null;

  const stopSync = async () => {
    if (!sync) return;
    sync.stop.abort();
    await sync.done;
    sync = null;
  };
  return {
    name,
    runtime,
    ports: runtime.ports,
    useCases,
    app: buildApp(useCases),
    startSync(overrides = {}) {
      if (sync) throw new Error("sync already running");
      const stop = new AbortController();
      const ports = { ...runtime.ports, ...overrides };
      const done = runSync(
        { ...ports, state: ports.syncState },
        ports.feeds,
        stop.signal,
        FAST_SYNC,
      );
      sync = { stop, done };
    },
    stopSync,
    async close() {
      await stopSync();
      await runtime.close();
      const mongo = createMongoClient(urls.MONGO_URL);
      const es = createElasticsearchClient(urls.ELASTICSEARCH_URL);
      await Promise.allSettled([
        mongo.db(name).dropDatabase().finally(() => mongo.close()),
        es.indices.delete({ index: `${name}*`, ignore_unavailable: true }).finally(() =>
          es.close()
        ),
        admin.unsafe(`DROP SCHEMA "${name}" CASCADE`),
      ]);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * Delivery terms every `POST /orders` needs, on this stack: a free option of a US zone of its
 * own (created once through the ports) and an inline US address, where no tax applies.
 */
export async function deliveryTerms(stack: Stack) {
  const shippingOptionId = "e2e-free";
  if (!(await stack.ports.shipping.option(shippingOptionId))) {
    await stack.ports.shipping.createZone({ id: "e2e-us", name: "E2E", countries: ["US"] });
    await stack.ports.shipping.createOption({
      id: shippingOptionId,
      zoneId: "e2e-us",
      name: "E2E shipping",
      priceCents: 0,
      currency: "USD",
      freeOverCents: null,
      estimatedDays: { min: 1, max: 3 },
    });
  }
  return {
    shippingAddress: {
      name: "E2E Customer",
      line1: "1 Test Street",
      city: "Springfield",
      postalCode: "12345",
      country: "US",
    },
    shippingOptionId,
  };
}
