import assert from "node:assert/strict";
import { AlreadyExists, InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import { type InventoryItem, newInventoryItem } from "../../domain/inventory/stock.ts";
import type { ChangeFeed } from "../search/change_feed.ts";
import type { StockLevel, Warehouse } from "../../domain/inventory/warehouse.ts";
import type { InventoryStore, StockLevelQuery, WarehouseStore } from "../inventory/inventory.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import { collectFeed, feedHead } from "./change_feed_contract.ts";

export interface InventoryFixture {
  readonly inventory: InventoryStore;
  /** The warehouses of the same state/database. */
  readonly warehouses: WarehouseStore;
  /** The feed that carries this store's `{source: "inventory"}` change events. */
  readonly feed: ChangeFeed;
}

const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A SKU no other step or run uses. */
export function uniqueSku(prefix = "sku"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/** Steps place orders from 2001 on: items are on sale from before that. */
const ON_SALE_SINCE = new Date("2000-01-01T00:00:00.000Z");

/**
 * An active item with `stock` units at `unitPriceCents`, created at 2030-01-01 and
 * published since 2000-01-01 unless `publishedAt` says otherwise (null: a draft).
 */
export function stockItem(
  sku: string,
  stock: number,
  unitPriceCents = 1_000,
  name = `Product ${sku}`,
  publishedAt: Date | null = ON_SALE_SINCE,
): InventoryItem {
  return newInventoryItem(
    { sku, name, unitPriceCents, currency: "USD", stock, publishedAt },
    at(0),
  );
}

/** A warehouse code no other step or run uses. */
export function uniqueWarehouse(prefix = "w"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 18)}`;
}

export function warehouse(code: string, priority: number, active = true): Warehouse {
  return { code, name: `Warehouse ${code}`, country: "US", priority, active };
}

/** Every page of a listing, checking that pages agree on the total. */
async function listAll(
  inventory: InventoryStore,
  query: Omit<StockLevelQuery, "page" | "size">,
): Promise<StockLevel[]> {
  const all: StockLevel[] = [];
  for (let page = 1;; page++) {
    const result = await inventory.levels({ ...query, page, size: 100 });
    all.push(...result.items);
    if (result.items.length < 100 || all.length >= result.total) return all;
  }
}

export function inventoryStoreContract(
  label: string,
  make: MakeFixture<InventoryFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: InventoryStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("create() stores the item; get() and getMany() read it back", async () => {
        const fx = await make();
        try {
          const { inventory } = fx.subject;
          const a = stockItem(uniqueSku(), 5, 1_250, "Blue mug");
          const b = stockItem(uniqueSku(), 0);
          assert.deepEqual({ ...(await inventory.create(a)) }, a);
          await inventory.create(b);
          assert.deepEqual({ ...(await inventory.get(a.sku)) }, a);
          assert.equal(await inventory.get(uniqueSku()), null);
          const many = await inventory.getMany([b.sku, uniqueSku(), a.sku]);
          assert.deepEqual(many.map((i) => i.sku).sort(), [a.sku, b.sku].sort());
          assert.deepEqual(await inventory.getMany([]), []);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "publishedAt is stored as given (null: a draft) and adjust() changes it only when given",
        async () => {
          const fx = await make();
          try {
            const { inventory } = fx.subject;
            const draft = stockItem(uniqueSku(), 5, 1_000, undefined, null);
            const soon = stockItem(uniqueSku(), 5, 1_000, undefined, at(60));
            assert.equal((await inventory.create(draft)).publishedAt, null);
            await inventory.create(soon);
            assert.equal((await inventory.get(draft.sku))?.publishedAt, null);
            assert.deepEqual((await inventory.get(soon.sku))?.publishedAt, at(60));
            const [listed] = (await inventory.getMany([draft.sku])).map((i) => i.publishedAt);
            assert.equal(listed, null);
            const kept = await inventory.adjust(soon.sku, { delta: 1 }, at(1));
            assert.deepEqual(kept.publishedAt, at(60), "absent: unchanged");
            const published = await inventory.adjust(draft.sku, { publishedAt: at(2) }, at(2));
            assert.deepEqual(published.publishedAt, at(2));
            assert.deepEqual((await inventory.get(draft.sku))?.publishedAt, at(2));
            await inventory.adjust(soon.sku, { publishedAt: null }, at(3));
            assert.equal((await inventory.get(soon.sku))?.publishedAt, null, "null unpublishes");
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "a variant's productSku and variantLabel are stored and survive changes",
        async () => {
          const fx = await make();
          try {
            const { inventory } = fx.subject;
            const plain = stockItem(uniqueSku(), 1);
            assert.equal(plain.productSku, plain.sku, "sold under its own SKU by default");
            assert.equal(plain.variantLabel, null);
            const product = uniqueSku("tee");
            const variant = { ...stockItem(`${product}-M`, 3), productSku: product };
            const labelled = { ...variant, variantLabel: "Red / M" };
            await inventory.create(plain);
            assert.deepEqual({ ...(await inventory.create(labelled)) }, labelled);
            await inventory.adjust(labelled.sku, { delta: 2, name: "Tee" }, at(1));
            const [read] = await inventory.getMany([labelled.sku]);
            assert.equal(read.productSku, product);
            assert.equal(read.variantLabel, "Red / M");
            // The catalog renamed the variant: the row's label follows (orders snapshot it).
            await inventory.adjust(labelled.sku, { variantLabel: "Crimson / M" }, at(2));
            assert.equal((await inventory.get(labelled.sku))?.variantLabel, "Crimson / M");
            assert.equal((await inventory.get(plain.sku))?.variantLabel, null);
            assert.equal((await inventory.get(plain.sku))?.productSku, plain.sku);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("create() of a known SKU throws AlreadyExists and changes nothing", async () => {
        const fx = await make();
        try {
          const { inventory } = fx.subject;
          const item = stockItem(uniqueSku(), 5);
          await inventory.create(item);
          await assert.rejects(inventory.create({ ...item, stock: 99 }), AlreadyExists);
          assert.equal((await inventory.get(item.sku))?.stock, 5);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "returned items are copies: mutating one does not change the store",
        async () => {
          const fx = await make();
          try {
            const { inventory } = fx.subject;
            const item = stockItem(uniqueSku(), 5);
            await inventory.create(item);
            const got = (await inventory.get(item.sku))!;
            try {
              (got as { stock: number }).stock = 999;
            } catch { /* frozen is fine too */ }
            got.updatedAt.setTime(0);
            assert.deepEqual({ ...(await inventory.get(item.sku)) }, item);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("adjust() applies a delta, an absolute level, price and name", async () => {
        const fx = await make();
        try {
          const { inventory } = fx.subject;
          const item = stockItem(uniqueSku(), 10, 500, "Old name");
          await inventory.create(item);
          const added = await inventory.adjust(item.sku, { delta: 5 }, at(1));
          assert.equal(added.stock, 15);
          assert.equal(added.version, 2);
          assert.equal(added.updatedAt.getTime(), at(1).getTime());
          const removed = await inventory.adjust(item.sku, { delta: -12 }, at(2));
          assert.equal(removed.stock, 3);
          const set = await inventory.adjust(item.sku, { stock: 40 }, at(3));
          assert.equal(set.stock, 40);
          const repriced = await inventory.adjust(
            item.sku,
            { unitPriceCents: 799, name: "New name" },
            at(4),
          );
          assert.deepEqual(
            { ...repriced },
            {
              ...item,
              stock: 40,
              unitPriceCents: 799,
              name: "New name",
              version: 5,
              updatedAt: at(4),
            },
          );
          assert.deepEqual({ ...(await inventory.get(item.sku)) }, { ...repriced });
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "adjust() below 0 throws InvalidStockLevel; unknown SKU throws NotFound",
        async () => {
          const fx = await make();
          try {
            const { inventory } = fx.subject;
            const item = stockItem(uniqueSku(), 3);
            await inventory.create(item);
            await assert.rejects(inventory.adjust(item.sku, { delta: -4 }, at(1)), (e: unknown) => {
              assert.ok(e instanceof InvalidStockLevel);
              assert.equal(e.sku, item.sku);
              assert.equal(e.stock, -1);
              assert.equal(e.reserved, 0);
              return true;
            });
            await assert.rejects(
              inventory.adjust(item.sku, { stock: -1 }, at(1)),
              InvalidStockLevel,
            );
            assert.deepEqual({ ...(await inventory.get(item.sku)) }, item);
            await assert.rejects(inventory.adjust(uniqueSku(), { delta: 1 }, at(1)), NotFound);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "discontinue() deactivates and keeps the item; unknown SKU throws NotFound",
        async () => {
          const fx = await make();
          try {
            const { inventory } = fx.subject;
            const item = stockItem(uniqueSku(), 3);
            await inventory.create(item);
            const gone = await inventory.discontinue(item.sku, at(1));
            assert.equal(gone.active, false);
            assert.equal(gone.version, 2);
            assert.equal((await inventory.get(item.sku))?.active, false);
            assert.equal((await inventory.get(item.sku))?.stock, 3);
            await assert.rejects(inventory.discontinue(uniqueSku(), at(1)), NotFound);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "levels() lists rows by SKU then warehouse, filters sku, warehouse and lowStock",
        async () => {
          const fx = await make();
          try {
            const { inventory, warehouses } = fx.subject;
            const east = uniqueWarehouse("east");
            await warehouses.createWarehouse(warehouse(east, 200), at(0));
            const run = uniqueSku("list");
            const [a, b, c] = [
              stockItem(`${run}-a`, 1),
              stockItem(`${run}-b`, 5),
              stockItem(`${run}-c`, 0),
            ];
            for (const item of [c, a, b]) await inventory.create(item);
            await inventory.adjust(
              b.sku,
              { warehouse: east, stock: 4, lowStockThreshold: 4 },
              at(1),
            );
            await inventory.adjust(a.sku, { lowStockThreshold: 2 }, at(1));

            const mine = (rows: StockLevel[]) =>
              rows.filter((r) => r.sku.startsWith(run)).map((r) => [r.sku, r.warehouse]);
            const all = await listAll(inventory, {});
            const keys = all.map((r) => `${r.sku} ${r.warehouse}`);
            assert.deepEqual(
              mine(all),
              [
                [a.sku, "main"],
                [b.sku, east],
                [b.sku, "main"],
                [c.sku, "main"],
              ].sort((x, y) => (x.join(" ") < y.join(" ") ? -1 : 1)),
            );
            assert.equal(new Set(keys).size, keys.length);
            assert.deepEqual(
              mine(await listAll(inventory, { sku: b.sku })),
              [
                [b.sku, east],
                [b.sku, "main"],
              ].sort((x, y) => (x[1] < y[1] ? -1 : 1)),
            );
            assert.deepEqual(mine(await listAll(inventory, { warehouse: east })), [[b.sku, east]]);
            // Each row against its own threshold: a (1 <= 2), b in east (4 <= 4), c (0 <= 0).
            assert.deepEqual(mine(await listAll(inventory, { lowStock: true })), [
              [a.sku, "main"],
              [b.sku, east],
              [c.sku, "main"],
            ]);
            const [row] = await listAll(inventory, { sku: b.sku, warehouse: east });
            assert.deepEqual(row, {
              sku: b.sku,
              warehouse: east,
              stock: 4,
              reserved: 0,
              lowStockThreshold: 4,
            });

            const first = await inventory.levels({ page: 1, size: 2 });
            const second = await inventory.levels({ page: 2, size: 2 });
            assert.deepEqual([first.page, first.size, first.items.length], [1, 2, 2]);
            assert.equal(second.page, 2);
            assert.equal(second.total, first.total);
            assert.ok(first.total >= 4);
            const beyond = await inventory.levels({
              page: Math.ceil(first.total / 2) + 1,
              size: 2,
            });
            assert.deepEqual(beyond.items, []);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "adjust() with a warehouse changes that row only; totals sum active warehouses",
        async () => {
          const fx = await make();
          try {
            const { inventory, warehouses } = fx.subject;
            const east = uniqueWarehouse("east");
            await warehouses.createWarehouse(warehouse(east, 200), at(0));
            const item = stockItem(uniqueSku(), 10);
            await inventory.create(item);
            const moved = await inventory.adjust(item.sku, { warehouse: east, stock: 7 }, at(1));
            assert.deepEqual([moved.stock, moved.reserved, moved.version], [17, 0, 2]);
            const shifted = await inventory.adjust(item.sku, { warehouse: east, delta: -2 }, at(2));
            assert.equal(shifted.stock, 15);
            assert.equal((await inventory.adjust(item.sku, { delta: 1 }, at(3))).stock, 16);
            const rows = await listAll(inventory, { sku: item.sku });
            assert.deepEqual(
              rows.map((r) => [r.warehouse, r.stock]).sort(),
              [
                [east, 5],
                ["main", 11],
              ].sort(),
            );
            await assert.rejects(
              inventory.adjust(item.sku, { warehouse: east, delta: -6 }, at(4)),
              (e: unknown) => e instanceof InvalidStockLevel && e.stock === -1,
            );
            const nowhere = uniqueWarehouse("nowhere");
            await assert.rejects(
              inventory.adjust(item.sku, { warehouse: nowhere, stock: 1 }, at(4)),
              (e: unknown) => e instanceof NotFound && e.id === nowhere,
            );
            assert.equal((await inventory.get(item.sku))?.stock, 16, "failures change nothing");

            await warehouses.updateWarehouse(east, { active: false }, at(5));
            const [inactive] = await inventory.getMany([item.sku]);
            assert.deepEqual([inactive.stock, inactive.version], [11, 5], "east counts no more");
            await warehouses.updateWarehouse(east, { active: true }, at(6));
            assert.equal((await inventory.get(item.sku))?.stock, 16);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "warehouses: create, list by priority, update; a known code is AlreadyExists",
        async () => {
          const fx = await make();
          try {
            const { warehouses, inventory, feed } = fx.subject;
            const [first, later] = [uniqueWarehouse("a"), uniqueWarehouse("b")];
            assert.deepEqual(
              await warehouses.createWarehouse(warehouse(later, -5), at(0)),
              warehouse(later, -5),
            );
            await warehouses.createWarehouse(warehouse(first, -10, false), at(0));
            await assert.rejects(
              warehouses.createWarehouse(warehouse(first, 1), at(0)),
              (e: unknown) => e instanceof AlreadyExists && e.value === first,
            );
            const codes = (await warehouses.listWarehouses()).map((w) => w.code);
            assert.deepEqual(codes.filter((c) => c === first || c === later), [first, later]);
            assert.ok(codes.includes("main"), "main exists from the start");

            const head = await feedHead(feed);
            const item = stockItem(uniqueSku(), 2);
            await inventory.create(item);
            await inventory.adjust(item.sku, { warehouse: later, stock: 3 }, at(1));
            const renamed = await warehouses.updateWarehouse(
              later,
              { name: "Renamed", country: "DE", priority: 7, active: false },
              at(2),
            );
            assert.deepEqual(renamed, {
              code: later,
              name: "Renamed",
              country: "DE",
              priority: 7,
              active: false,
            });
            const listed = (await warehouses.listWarehouses()).find((w) => w.code === later);
            assert.deepEqual(listed, renamed);
            // Create, the stock in `later`, then the deactivation of `later`.
            const { events } = await collectFeed(feed, head, (e) => e.sku === item.sku, 3);
            assert.deepEqual(
              events.map((e) => e.at.getTime()),
              [at(0), at(1), at(2)].map((d) => d.getTime()),
            );
            await assert.rejects(
              warehouses.updateWarehouse(uniqueWarehouse(), { active: false }, at(3)),
              NotFound,
            );
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("every change is recorded in the feed with the time it happened", async () => {
        const fx = await make();
        try {
          const { inventory, feed } = fx.subject;
          const head = await feedHead(feed);
          const item = stockItem(uniqueSku(), 3);
          await inventory.create(item);
          await inventory.adjust(item.sku, { delta: 2 }, at(1));
          await inventory.adjust(item.sku, { unitPriceCents: 1 }, at(2));
          await inventory.discontinue(item.sku, at(3));
          await assert.rejects(
            inventory.adjust(item.sku, { delta: -99 }, at(4)),
            InvalidStockLevel,
          );
          const { events } = await collectFeed(feed, head, (e) => e.sku === item.sku, 4);
          assert.ok(events.every((e) => e.source === "inventory"));
          assert.deepEqual(
            [...new Set(events.map((e) => e.at.getTime()))],
            [at(0), at(1), at(2), at(3)].map((d) => d.getTime()),
          );
          const more = await collectFeed(feed, head, (e) => e.sku === item.sku, 5, 300);
          assert.equal(more.events.length, 4, "a failed change must not be recorded");
        } finally {
          await fx.close();
        }
      });
    },
  });
}
