import assert from "node:assert/strict";
import type { Product } from "../../domain/catalog/product.ts";
import { catalogContract } from "../../ports/contracts/catalog_contract.ts";
import { MemoryCatalog } from "./catalog.ts";

catalogContract(
  "MemoryCatalog",
  () => Promise.resolve({ subject: new MemoryCatalog(), close: () => Promise.resolve() }),
);

function product(sku: string, overrides: Partial<Product> = {}): Product {
  return {
    sku,
    name: `Product ${sku}`,
    slug: sku.toLowerCase(),
    category: "laptops",
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
    updatedAt: new Date("2025-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

Deno.test("MemoryCatalog", async (t) => {
  await t.step("appends a catalog change for every create, replace and delete", async () => {
    const events: { source: string; sku: string; at: string }[] = [];
    const changes = {
      append: (source: "catalog" | "inventory", sku: string, at: Date) =>
        void events.push({ source, sku, at: at.toISOString() }),
    };
    const deletedAt = new Date("2025-03-01T00:00:00.000Z");
    const catalog = new MemoryCatalog({ changes, clock: { now: () => deletedAt } });
    await catalog.create(product("A"));
    await catalog.replace(product("A", { updatedAt: new Date("2025-02-01T00:00:00.000Z") }));
    await catalog.delete("A");
    await catalog.delete("A");
    await assert.rejects(catalog.replace(product("B")));
    await catalog.create(product("B"));
    await assert.rejects(catalog.create(product("B")));
    assert.deepEqual(events, [
      { source: "catalog", sku: "A", at: "2025-01-01T00:00:00.000Z" },
      { source: "catalog", sku: "A", at: "2025-02-01T00:00:00.000Z" },
      { source: "catalog", sku: "A", at: "2025-03-01T00:00:00.000Z" },
      { source: "catalog", sku: "B", at: "2025-01-01T00:00:00.000Z" },
    ]);
  });

  await t.step("hands out copies: callers cannot change what is stored", async () => {
    const catalog = new MemoryCatalog();
    const created = await catalog.create(product("A", { tags: ["x"] }));
    (created.tags as string[]).push("mutated");
    const read = await catalog.get("A");
    (read!.tags as string[]).push("mutated");
    assert.deepEqual((await catalog.get("A"))!.tags, ["x"]);
  });
});
