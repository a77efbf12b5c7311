import assert from "node:assert/strict";
import { allocate } from "../inventory/allocation.ts";
import { isSellable, newInventoryItem } from "../inventory/stock.ts";
import { DEFAULT_WAREHOUSE, emptyLevel } from "../inventory/warehouse.ts";
import { InsufficientStock } from "../errors.ts";
import { isPublished, matchesPublication, publicationStatus } from "./publication.ts";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ms = (offset: number) => new Date(NOW.getTime() + offset);

Deno.test("publication status against the clock", async (t) => {
  await t.step("null is a draft, later is scheduled, now or earlier is published", () => {
    assert.equal(publicationStatus(null, NOW), "draft");
    assert.equal(publicationStatus(ms(1), NOW), "scheduled");
    assert.equal(publicationStatus(ms(0), NOW), "published");
    assert.equal(publicationStatus(ms(-1), NOW), "published");
    assert.deepEqual([null, ms(1), ms(0)].map((at) => isPublished(at, NOW)), [
      false,
      false,
      true,
    ]);
  });

  await t.step("a scheduled time becomes published when the clock reaches it", () => {
    assert.equal(isPublished(ms(1), NOW), false);
    assert.equal(isPublished(ms(1), ms(1)), true);
    assert.equal(matchesPublication(ms(1), { status: "scheduled", at: NOW }), true);
    assert.equal(matchesPublication(ms(1), { status: "published", at: ms(1) }), true);
  });
});

Deno.test("isSellable() and allocate() refuse what is not published at the order's time", () => {
  const item = (sku: string, publishedAt: Date | null) =>
    newInventoryItem({
      sku,
      name: sku,
      unitPriceCents: 100,
      currency: "USD",
      stock: 5,
      publishedAt,
    }, NOW);
  const live = item("live", ms(-1));
  const draft = item("draft", null);
  const soon = item("soon", ms(60_000));
  assert.deepEqual([live, draft, soon].map((i) => isSellable(i, NOW)), [true, false, false]);
  assert.equal(isSellable({ ...live, active: false }, NOW), false);
  assert.equal(newInventoryItem({ ...live, publishedAt: undefined }, NOW).publishedAt, NOW);
  const items = new Map([live, draft, soon].map((i) => [i.sku, i]));
  const levels = [...items.keys()].map((sku) => ({
    ...emptyLevel(sku, DEFAULT_WAREHOUSE),
    stock: 5,
  }));
  const main = [{
    code: DEFAULT_WAREHOUSE,
    name: "Main",
    country: "US",
    priority: 1,
    active: true,
  }];
  const lines = [{ sku: "draft", qty: 1 }, { sku: "live", qty: 1 }, { sku: "soon", qty: 1 }];
  assert.throws(
    () => allocate(lines, items, levels, main, NOW),
    (e) => e instanceof InsufficientStock && e.skus.join() === "draft,soon",
  );
  const [held] = allocate([{ sku: "soon", qty: 2 }], items, levels, main, ms(60_000));
  assert.equal(held.qty, 2, "sells from its publication time");
});
