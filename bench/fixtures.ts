/**
 * The bench's data: a fresh PostgreSQL database, MongoDB database, Elasticsearch prefix and
 * Redis database of its own on the shared servers, loaded with 1,000 products (plus the hot
 * SKUs) through the same use case the admin API uses, and indexed for search.
 */
import postgres from "postgres";
import { MongoClient } from "mongodb";
import { Redis } from "ioredis";
import { parseConfig } from "../config.ts";
import { buildRuntime, settingsOf } from "../composition.ts";
import { bindUseCases } from "../application/use_cases.ts";
import type { NewProductInput } from "../application/catalog/manage_catalog.ts";
import { reindexAll } from "../application/search/reindex.ts";
import { isPublished } from "../domain/catalog/publication.ts";
import { seedCatalog } from "../adapters/memory/seed.ts";
import { SEED_CATEGORIES } from "../adapters/memory/seed_categories.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import { migrate } from "../migrations/migrate.ts";
import type { BenchSettings } from "./settings.ts";

/** SKUs `100000`..`100999`: numeric so pgbench can draw them with `random()`. */
export const CATALOG_FIRST_SKU = 100_000;
export const CATALOG_SIZE = 1_000;
export const CATALOG_STOCK = 1_000_000;
/** The one hot SKU of the contention scenario: enough stock for any run. */
export const HOT_SKU = "200000";
export const HOT_STOCK = 100_000_000;
/** Small stocks drained on purpose to prove there is no oversell (API, then pgbench). */
export const PROBE_SKU_API = "200001";
export const PROBE_SKU_PGBENCH = "200002";
export const PROBE_STOCK = 100;

export const ADMIN = {
  email: "bench-admin@polycart.invalid",
  password: "bench-admin-password",
};

export function catalogSku(i: number): string {
  return String(CATALOG_FIRST_SKU + i);
}

/** 1,000 products cycling through the demo catalog, each name (so slug) unique, plus the hot SKUs. */
export function benchProducts(now: Date): NewProductInput[] {
  // Published demo products only (the seed's draft and scheduled books are left out), so the
  // bench catalog is what it was before the seed had them and every product is searchable.
  const demo = seedCatalog(now).products.filter((p) => isPublished(p.publishedAt, now));
  const product = (
    i: number,
    sku: string,
    name: string,
    stock: number,
  ): NewProductInput => {
    const base = demo[i % demo.length];
    return {
      sku,
      name,
      category: base.category,
      brand: base.brand,
      description: base.description,
      images: base.images,
      attrs: base.attrs,
      // Sold under their own SKUs (numeric, drawn by pgbench): no variants.
      variants: [],
      tags: base.tags,
      priceCents: base.priceCents,
      stock,
      // On sale since before the run, whatever the demo product's state (it has drafts).
      publishedAt: new Date(now.getTime() - 3_600_000),
    };
  };
  const out: NewProductInput[] = [];
  for (let i = 0; i < CATALOG_SIZE; i++) {
    const base = demo[i % demo.length];
    out.push(product(i, catalogSku(i), `${base.name} no ${i}`, CATALOG_STOCK));
  }
  out.push(product(0, HOT_SKU, "Hot product", HOT_STOCK));
  out.push(product(1, PROBE_SKU_API, "Probe product api", PROBE_STOCK));
  out.push(product(2, PROBE_SKU_PGBENCH, "Probe product pgbench", PROBE_STOCK));
  return out;
}

/** The environment the API, the worker and the seeding run with. */
export function apiEnv(
  s: BenchSettings,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    // The bench measures the single server; a cluster setting inherited from CI stays out.
    REDIS_CLUSTER_NODES: "",
    MONGO_URL: s.mongoUrl,
    MONGO_DB: s.mongoDb,
    ELASTICSEARCH_URL: s.elasticsearchUrl,
    ES_INDEX_PREFIX: s.esPrefix,
    PORT: String(s.apiPort),
    SEED: "0",
    SYNC_IN_PROCESS: "0",
    // One client address sends everything: a limit it never reaches, and a window short enough
    // that the sliding log stays a few seconds of hits but long enough that the limiter's local
    // allowance gets the 250 ms lease it has with the default 60 s window (a twentieth of the
    // window, at most 250 ms). With a 1 s window the lease was 50 ms and a customer's key
    // claimed from Redis every second or third request: ~12% of the API's CPU per order.
    RATE_LIMIT_MAX: "1000000000",
    RATE_LIMIT_WINDOW_S: "5",
    // The checkout scenarios hold thousands of pending orders per user on purpose.
    MAX_PENDING_ORDERS_PER_USER: "1000000000",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...extra,
  };
}

async function esFetch(
  s: BenchSettings,
  path: string,
  init: RequestInit = {},
): Promise<unknown> {
  const res = await fetch(new URL(path, s.elasticsearchUrl), {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
  const text = await res.text();
  if (!res.ok && res.status !== 404) {
    throw new Error(`ES ${path}: ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Drops and recreates the bench's own database, index prefix, MongoDB database and Redis db. */
export async function resetStores(s: BenchSettings): Promise<void> {
  const admin = postgres(s.adminDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(
      `DROP DATABASE IF EXISTS "${s.databaseName}" WITH (FORCE)`,
    );
    await admin.unsafe(`CREATE DATABASE "${s.databaseName}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const sql = postgres(s.databaseUrl, { max: 2, onnotice: () => {} });
  try {
    await migrate(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }

  const mongo = new MongoClient(s.mongoUrl, {
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    await mongo.db(s.mongoDb).dropDatabase();
  } finally {
    await mongo.close();
  }

  const indices = await esFetch(
    s,
    `/_cat/indices/${s.esPrefix}_v*,${s.esPrefix}_orders_v*?format=json&h=index`,
  ) as
    | { index: string }[]
    | null;
  for (const { index } of indices ?? []) {
    await esFetch(s, `/${encodeURIComponent(index)}`, { method: "DELETE" });
  }

  await withRedis(s.redisUrl, (redis) => redis.flushdb());
}

/** Runs `use` on a fresh connection to `url`, closed afterwards. */
export async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** Loads the category tree and the bench catalog through the use cases; builds the index. */
export async function seedStores(
  s: BenchSettings,
  log: (m: string) => void,
): Promise<void> {
  const config = parseConfig(apiEnv(s));
  const runtime = await buildRuntime(config, new JsonLogger({ silent: true }));
  try {
    const useCases = bindUseCases(runtime.ports, settingsOf(config));
    // The demo tree first: every product names an existing category.
    for (const category of SEED_CATEGORIES) {
      if (!(await runtime.ports.categories.get(category.slug))) {
        await useCases.createCategory(category);
      }
    }
    const products = benchProducts(runtime.ports.clock.now());
    let next = 0;
    const worker = async () => {
      while (next < products.length) {
        await useCases.createProduct(products[next++]);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    log(
      `seeded ${products.length} products in ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s`,
    );
    const { indexed } = await reindexAll(runtime.ports);
    log(`indexed ${indexed} documents under ${s.esPrefix}`);
  } finally {
    await runtime.close();
  }
}

/**
 * Cancels every pending order and releases its reservation, so the next measured side starts
 * as the first did: placing counts the customer's live pending orders (the cap check), and
 * with the bench's cap lifted that count grows with every order the previous side placed for
 * the same customers. Without this, the side measured second paid for the first one's orders.
 */
export async function releasePendingOrders(s: BenchSettings): Promise<void> {
  const sql = postgres(s.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`
        UPDATE stock_levels l SET reserved = l.reserved - held.qty
        FROM (SELECT a.sku, a.warehouse, sum(a.qty) AS qty
              FROM order_allocations a JOIN orders o ON o.id = a.order_id
              WHERE o.status = 'pending' GROUP BY a.sku, a.warehouse) AS held
        WHERE l.sku = held.sku AND l.warehouse = held.warehouse`;
      await tx`UPDATE orders SET status = 'cancelled', updated_at = now()
               WHERE status = 'pending'`;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Reserved stock of `sku` and the units of its pending orders, straight from PostgreSQL. */
export async function stockOf(
  s: BenchSettings,
  sku: string,
): Promise<
  { stock: number; reserved: number; pendingUnits: number; orders: number }
> {
  const sql = postgres(s.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`
      SELECT
        (SELECT coalesce(sum(l.stock), 0) FROM stock_levels l WHERE l.sku = i.sku) AS stock,
        (SELECT coalesce(sum(l.reserved), 0) FROM stock_levels l WHERE l.sku = i.sku) AS reserved,
        (SELECT coalesce(sum(oi.qty), 0) FROM order_items oi JOIN orders o ON o.id = oi.order_id
          WHERE oi.sku = i.sku AND o.status = 'pending') AS pending_units,
        (SELECT count(*) FROM order_items oi WHERE oi.sku = i.sku) AS orders
      FROM inventory i WHERE i.sku = ${sku}`;
    return {
      stock: Number(row.stock),
      reserved: Number(row.reserved),
      pendingUnits: Number(row.pending_units),
      orders: Number(row.orders),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
