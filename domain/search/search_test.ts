import assert from "node:assert/strict";
import { newInventoryItem } from "../inventory/stock.ts";
import type { Product } from "../catalog/product.ts";
import { priceBucketOf, toSearchDocument } from "./search.ts";

Deno.test("search rules", async (t) => {
  await t.step("priceBucketOf() puts each boundary in the upper bucket", () => {
    assert.equal(priceBucketOf(0), "under_50");
    assert.equal(priceBucketOf(4_999), "under_50");
    assert.equal(priceBucketOf(5_000), "50_200");
    assert.equal(priceBucketOf(19_999), "50_200");
    assert.equal(priceBucketOf(20_000), "200_500");
    assert.equal(priceBucketOf(49_999), "200_500");
    assert.equal(priceBucketOf(50_000), "over_500");
  });

  await t.step("toSearchDocument() takes price and stock from inventory and sums versions", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const product = {
      sku: "A",
      name: "A",
      slug: "a",
      category: "c",
      brand: "b",
      description: "",
      images: [],
      attrs: {},
      variants: [],
      tags: [],
      ratings: { avg: 4, count: 2 },
      priceCents: 100,
      currency: "USD",
      publishedAt: at,
      updatedAt: at,
      version: 3,
    } satisfies Product;
    const item = {
      ...newInventoryItem(
        { sku: "A", name: "A", unitPriceCents: 250, currency: "USD", stock: 1 },
        at,
      ),
      version: 4,
    };
    const doc = toSearchDocument(product, item);
    assert.deepEqual([doc.priceCents, doc.inStock, doc.version], [250, true, 7]);
    assert.equal(toSearchDocument(product, { ...item, reserved: 1 }).inStock, false);
    assert.equal(toSearchDocument(product, null).inStock, false);
  });
});
