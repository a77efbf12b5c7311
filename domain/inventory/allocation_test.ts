import assert from "node:assert/strict";
import { InsufficientStock, InvalidStockLevel } from "../errors.ts";
import { allocate, type Allocation, moveAllocated } from "./allocation.ts";
import {
  applyLevelChange,
  emptyLevel,
  isLowStock,
  levelKey,
  type StockLevel,
  totalsOf,
  type Warehouse,
} from "./warehouse.ts";

const AT = new Date("2026-01-01T00:00:00Z");
const wh = (code: string, priority: number, active = true): Warehouse => ({
  code,
  name: code,
  country: "US",
  priority,
  active,
});
const MAIN = wh("main", 100);
const EAST = wh("east", 200);
const WEST = wh("west", 300);
const level = (sku: string, warehouse: string, stock: number, reserved = 0): StockLevel => ({
  ...emptyLevel(sku, warehouse),
  stock,
  reserved,
});
const onSale: { active: boolean; publishedAt: Date | null } = {
  active: true,
  publishedAt: new Date("2025-01-01T00:00:00Z"),
};
const items = (...skus: string[]) => new Map(skus.map((s) => [s, onSale]));

Deno.test("allocate()", async (t) => {
  await t.step("one warehouse that can fill the whole order wins over priority", () => {
    // main (first by priority) has A but not B; east has both: the order ships from east.
    const levels = [level("A", "main", 5), level("A", "east", 5), level("B", "east", 2)];
    assert.deepEqual(
      allocate(
        [{ sku: "A", qty: 2 }, { sku: "B", qty: 1 }],
        items("A", "B"),
        levels,
        [MAIN, EAST],
        AT,
      ),
      [{ sku: "A", warehouse: "east", qty: 2 }, { sku: "B", warehouse: "east", qty: 1 }],
    );
  });

  await t.step("among warehouses that can fill it, priority decides (then code)", () => {
    const levels = [level("A", "main", 5), level("A", "east", 5), level("A", "west", 5)];
    const lines = [{ sku: "A", qty: 3 }];
    assert.deepEqual(allocate(lines, items("A"), levels, [WEST, EAST, MAIN], AT), [
      { sku: "A", warehouse: "main", qty: 3 },
    ]);
    const tie = [wh("b", 1), wh("a", 1)];
    const tied = [level("A", "a", 5), level("A", "b", 5)];
    assert.deepEqual(allocate(lines, items("A"), tied, tie, AT), [
      { sku: "A", warehouse: "a", qty: 3 },
    ]);
    const first = [wh("main", 500), EAST];
    assert.deepEqual(allocate(lines, items("A"), levels, first, AT), [
      { sku: "A", warehouse: "east", qty: 3 },
    ]);
  });

  await t.step("no single warehouse for the order: each line from the first that fills it", () => {
    const levels = [level("A", "main", 5), level("B", "main", 0), level("B", "east", 4)];
    assert.deepEqual(
      allocate(
        [{ sku: "A", qty: 5 }, { sku: "B", qty: 4 }],
        items("A", "B"),
        levels,
        [MAIN, EAST],
        AT,
      ),
      [{ sku: "A", warehouse: "main", qty: 5 }, { sku: "B", warehouse: "east", qty: 4 }],
    );
  });

  await t.step("a line is split only when no warehouse can fill it, in priority order", () => {
    const levels = [level("A", "main", 3, 1), level("A", "east", 2), level("A", "west", 9)];
    // west alone fills 6: no split.
    assert.deepEqual(allocate([{ sku: "A", qty: 6 }], items("A"), levels, [MAIN, EAST, WEST], AT), [
      { sku: "A", warehouse: "west", qty: 6 },
    ]);
    // 12 needs everything: main's 2 available, east's 2, west's 8.
    assert.deepEqual(
      allocate([{ sku: "A", qty: 12 }], items("A"), levels, [MAIN, EAST, WEST], AT),
      [
        { sku: "A", warehouse: "east", qty: 2 },
        { sku: "A", warehouse: "main", qty: 2 },
        { sku: "A", warehouse: "west", qty: 8 },
      ],
    );
  });

  await t.step("inactive warehouses are never used and count for nothing", () => {
    const levels = [level("A", "main", 5), level("A", "east", 5)];
    const lines = [{ sku: "A", qty: 6 }];
    assert.throws(
      () => allocate(lines, items("A"), levels, [MAIN, wh("east", 200, false)], AT),
      (e) => e instanceof InsufficientStock && e.skus.join() === "A",
    );
    assert.deepEqual(
      allocate([{ sku: "A", qty: 2 }], items("A"), levels, [wh("main", 1, false), EAST], AT),
      [{ sku: "A", warehouse: "east", qty: 2 }],
    );
  });

  await t.step("names every unknown, unsellable and short SKU, over all warehouses", () => {
    const levels = [level("A", "main", 1), level("A", "east", 1), level("C", "main", 9)];
    const sellable = new Map([
      ["A", onSale],
      ["B", onSale],
      ["C", { active: false, publishedAt: onSale.publishedAt }],
      ["D", { active: true, publishedAt: null }],
    ]);
    const lines = ["A", "B", "C", "D", "Z"].map((sku) => ({ sku, qty: 2 }));
    assert.throws(
      () => allocate(lines, sellable, levels, [MAIN, EAST], AT),
      (e) => e instanceof InsufficientStock && e.skus.join() === "B,C,D,Z",
    );
    assert.deepEqual(allocate([lines[0]], sellable, levels, [MAIN, EAST], AT), [
      { sku: "A", warehouse: "east", qty: 1 },
      { sku: "A", warehouse: "main", qty: 1 },
    ]);
  });
});

Deno.test("moveAllocated() moves exactly the allocated rows", async (t) => {
  const rows = new Map(
    [level("A", "main", 10, 3), level("A", "east", 4, 2), level("B", "main", 1)].map((
      l,
    ) => [levelKey(l.sku, l.warehouse), l]),
  );
  const held: Allocation[] = [
    { sku: "A", warehouse: "east", qty: 2 },
    { sku: "A", warehouse: "main", qty: 3 },
  ];

  await t.step("reserve, release, deduct and restock", () => {
    const figures = (ls: StockLevel[]) => ls.map((l) => [l.warehouse, l.stock, l.reserved]);
    assert.deepEqual(
      figures(moveAllocated(rows, [{ sku: "B", warehouse: "main", qty: 1 }], "reserve")),
      [
        ["main", 1, 1],
      ],
    );
    assert.deepEqual(figures(moveAllocated(rows, held, "release")), [["east", 4, 0], [
      "main",
      10,
      0,
    ]]);
    assert.deepEqual(figures(moveAllocated(rows, held, "deduct")), [["east", 2, 0], [
      "main",
      7,
      0,
    ]]);
    assert.deepEqual(figures(moveAllocated(rows, held, "restock")), [["east", 6, 2], [
      "main",
      13,
      3,
    ]]);
  });

  await t.step("a move that would break 0 <= reserved <= stock changes nothing", () => {
    assert.throws(
      () => moveAllocated(rows, [{ sku: "B", warehouse: "main", qty: 2 }], "reserve"),
      InvalidStockLevel,
    );
    assert.throws(
      () => moveAllocated(rows, [{ sku: "A", warehouse: "east", qty: 3 }], "release"),
      InvalidStockLevel,
    );
    assert.throws(() => moveAllocated(rows, [{ sku: "Z", warehouse: "main", qty: 1 }], "release"));
    assert.equal(rows.get(levelKey("B", "main"))?.reserved, 0);
  });
});

Deno.test("warehouse rows", async (t) => {
  await t.step("totals count active warehouses only", () => {
    const ls = [level("A", "main", 10, 3), level("A", "east", 4, 2)];
    assert.deepEqual(totalsOf(ls, () => true), { stock: 14, reserved: 5 });
    assert.deepEqual(totalsOf(ls, (c) => c === "main"), { stock: 10, reserved: 3 });
  });

  await t.step("a row's change: stock, delta, threshold; never below reserved", () => {
    const row = level("A", "main", 10, 4);
    assert.equal(applyLevelChange(row, { stock: 6 }).stock, 6);
    assert.equal(applyLevelChange(row, { delta: -6 }).stock, 4);
    assert.throws(() => applyLevelChange(row, { delta: -7 }), InvalidStockLevel);
    assert.throws(() => applyLevelChange(row, { stock: -1 }), InvalidStockLevel);
    const low = applyLevelChange(row, { lowStockThreshold: 6 });
    assert.equal(isLowStock(low), true, "6 available, threshold 6");
    assert.equal(isLowStock(row), false);
  });
});
