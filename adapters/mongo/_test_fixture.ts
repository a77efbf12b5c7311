import type { Db, MongoClient } from "mongodb";
import type { Product } from "../../domain/catalog/product.ts";
import { createMongoClient } from "./client.ts";

/** A connected client and a fresh database, dropped and closed by `close()`. */
export async function openDatabase(url: string): Promise<{
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}> {
  const client = createMongoClient(url);
  await client.connect();
  const db = client.db(
    `polycart_test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`,
  );
  return {
    client,
    db,
    async close() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

export function sampleProduct(overrides: Partial<Product> = {}): Product {
  const sku = overrides.sku ?? `SKU-${crypto.randomUUID().slice(0, 8)}`;
  return {
    sku,
    name: `Sample ${sku}`,
    slug: `sample-${sku.toLowerCase()}`,
    category: "samples",
    brand: "Acme",
    description: "",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    ratings: { avg: 0, count: 0 },
    priceCents: 1_000,
    currency: "USD",
    publishedAt: null,
    updatedAt: new Date("2026-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}
