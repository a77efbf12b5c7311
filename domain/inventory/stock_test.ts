import assert from "node:assert/strict";
import { InvalidStockLevel } from "../errors.ts";
import {
  applyChange,
  available,
  discontinue,
  type InventoryItem,
  mergeLines,
  newInventoryItem,
  touch,
} from "./stock.ts";

const at = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-01T00:05:00Z");
const item = (sku: string, stock: number, reserved = 0): InventoryItem => ({
  ...newInventoryItem({ sku, name: sku, unitPriceCents: 1000, currency: "USD", stock }, at),
  reserved,
});

Deno.test("stock rules", async (t) => {
  await t.step("available() is stock minus reserved", () => {
    assert.equal(available(item("A", 10, 3)), 7);
  });

  await t.step("mergeLines() sums repeated SKUs and sorts by SKU", () => {
    assert.deepEqual(
      mergeLines([{ sku: "B", qty: 1 }, { sku: "A", qty: 2 }, { sku: "B", qty: 3 }]),
      [
        { sku: "A", qty: 2 },
        { sku: "B", qty: 4 },
      ],
    );
  });

  await t.step("touch() takes new totals, bumps the version and the time", () => {
    const next = touch(item("A", 10), later, { stock: 8, reserved: 2 });
    assert.deepEqual([next.stock, next.reserved, next.version], [8, 2, 2]);
    assert.deepEqual(next.updatedAt, later);
    assert.throws(() => touch(item("A", 10), later, { stock: 1, reserved: 2 }), InvalidStockLevel);
  });

  await t.step("applyChange() takes a price, a name and a publication time", () => {
    const priced = applyChange(item("A", 10), { unitPriceCents: 2500, name: "New" }, at);
    assert.deepEqual([priced.unitPriceCents, priced.name, priced.stock], [2500, "New", 10]);
    assert.equal(applyChange(item("A", 1), { publishedAt: null }, at).publishedAt, null);
    assert.deepEqual(applyChange(item("A", 1), {}, at).publishedAt, at, "absent: unchanged");
  });

  await t.step("discontinue() keeps the row, inactive", () => {
    const gone = discontinue(item("A", 3), later);
    assert.deepEqual([gone.active, gone.stock, gone.version], [false, 3, 2]);
  });

  await t.step("newInventoryItem() refuses negative stock; a product is its own", () => {
    assert.throws(
      () =>
        newInventoryItem(
          { sku: "X", name: "X", unitPriceCents: 1, currency: "USD", stock: -1 },
          at,
        ),
      InvalidStockLevel,
    );
    const own = item("A", 1);
    assert.deepEqual([own.productSku, own.variantLabel], ["A", null]);
  });
});
