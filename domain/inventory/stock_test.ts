import assert from "node:assert/strict";
import { InsufficientStock, InvalidStockLevel } from "../errors.ts";
import {
  applyChange,
  available,
  deduct,
  discontinue,
  type InventoryItem,
  mergeLines,
  newInventoryItem,
  release,
  reserveAll,
  restock,
} from "./stock.ts";

const at = new Date("2026-01-01T00:00:00Z");
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

  await t.step("reserveAll() reserves every line and bumps versions", () => {
    const items = new Map([["A", item("A", 5)], ["B", item("B", 2)]]);
    const [a, b] = reserveAll(items, [{ sku: "A", qty: 5 }, { sku: "B", qty: 1 }], at);
    assert.equal(a.reserved, 5);
    assert.equal(b.reserved, 1);
    assert.equal(a.version, 2);
  });

  await t.step("reserveAll() names every short, unknown and inactive SKU and reserves none", () => {
    const items = new Map([
      ["A", item("A", 5)],
      ["B", item("B", 2, 2)],
      ["C", discontinue(item("C", 9), at)],
    ]);
    assert.throws(
      () =>
        reserveAll(items, [
          { sku: "A", qty: 1 },
          { sku: "B", qty: 1 },
          { sku: "C", qty: 1 },
          { sku: "Z", qty: 1 },
        ], at),
      (e: unknown) => e instanceof InsufficientStock && e.skus.join() === ["B", "C", "Z"].join(),
    );
    assert.equal(items.get("A")!.reserved, 0);
  });

  await t.step("deduct() moves reserved units out of stock", () => {
    const paid = deduct(item("A", 10, 4), 4, at);
    assert.deepEqual([paid.stock, paid.reserved], [6, 0]);
  });

  await t.step("release() and restock() return units", () => {
    assert.equal(release(item("A", 10, 4), 4, at).reserved, 0);
    assert.equal(restock(item("A", 6), 4, at).stock, 10);
  });

  await t.step("applyChange() takes absolute stock, a delta, a price and a name", () => {
    assert.equal(applyChange(item("A", 10), { stock: 3 }, at).stock, 3);
    assert.equal(applyChange(item("A", 10), { delta: -4 }, at).stock, 6);
    const priced = applyChange(item("A", 10), { unitPriceCents: 2500, name: "New" }, at);
    assert.deepEqual([priced.unitPriceCents, priced.name, priced.stock], [2500, "New", 10]);
  });

  await t.step("no change may leave reserved above stock or stock below zero", () => {
    assert.throws(() => applyChange(item("A", 10, 6), { stock: 5 }, at), InvalidStockLevel);
    assert.throws(() => applyChange(item("A", 1), { delta: -2 }, at), InvalidStockLevel);
    assert.throws(() => release(item("A", 10, 1), 2, at), InvalidStockLevel);
    assert.throws(
      () =>
        newInventoryItem(
          { sku: "X", name: "X", unitPriceCents: 1, currency: "USD", stock: -1 },
          at,
        ),
      InvalidStockLevel,
    );
  });
});
