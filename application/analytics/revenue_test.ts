import assert from "node:assert/strict";
import { newInventoryItem, type StockLine } from "../../domain/inventory/stock.ts";
import { type TestCore, testCore } from "../../testing/core.ts";

const USER = "user-1";

async function buyAt(core: TestCore, at: string, items: StockLine[]) {
  core.clock.set(new Date(at));
  const order = await core.useCases.placeOrder({ userId: USER, items });
  await core.useCases.payOrder({
    userId: USER,
    orderId: order.id,
    provider: "test",
    paymentToken: "tok_visa",
  });
  return order;
}

/**
 * Paid: Sat 21 Nov 2 x Dune (2198) and Moto + Dune (16098); Mon 23 Nov 3 x Midnight Library
 * (4800); Tue 1 Dec 1 x Dune (1099). Not revenue: a refunded order, a pending one, a cancelled one.
 */
async function history() {
  const core = await testCore();
  await buyAt(core, "2026-11-21T12:00:00Z", [{ sku: "BOK-010", qty: 2 }]);
  const shipped = await buyAt(core, "2026-11-21T18:00:00Z", [
    { sku: "PHN-010", qty: 1 },
    { sku: "BOK-010", qty: 1 },
  ]);
  await core.useCases.advanceOrder({ orderId: shipped.id, to: "shipped" });
  const refunded = await buyAt(core, "2026-11-22T08:00:00Z", [{ sku: "LAP-001-32-1024", qty: 1 }]);
  await core.useCases.refundOrder({ orderId: refunded.id });
  await buyAt(core, "2026-11-23T09:00:00Z", [{ sku: "BOK-009", qty: 3 }]);
  const cancelled = await core.useCases.placeOrder({
    userId: USER,
    items: [{ sku: "LAP-002-16-512", qty: 1 }],
  });
  await core.useCases.cancelOrder({ userId: USER, orderId: cancelled.id });
  await buyAt(core, "2026-12-01T10:00:00Z", [{ sku: "BOK-010", qty: 1 }]);
  await core.useCases.placeOrder({ userId: USER, items: [{ sku: "LAP-003-16-512", qty: 1 }] });
  return core;
}

const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2027-01-01T00:00:00Z");

const USD = { currency: "USD", refundCount: 0, refundedCents: 0 };

Deno.test("revenueReport() sums paid, unrefunded orders by period", async (t) => {
  const core = await history();
  const report = async (from: Date, to: Date, groupBy: "day" | "week" | "month") =>
    (await core.useCases.revenueReport({ from, to, groupBy })).report;
  const laptop = (await core.ports.inventory.get("LAP-001-32-1024"))!.unitPriceCents;

  await t.step("by day, the refunded order as a refund in the day it was paid", async () => {
    assert.deepEqual((await report(FROM, TO, "day")).buckets, [
      { period: "2026-11-21", ...USD, orders: 2, units: 4, revenueCents: 18296 },
      {
        period: "2026-11-22",
        ...USD,
        orders: 0,
        units: 0,
        revenueCents: 0,
        refundCount: 1,
        refundedCents: laptop,
      },
      { period: "2026-11-23", ...USD, orders: 1, units: 3, revenueCents: 4800 },
      { period: "2026-12-01", ...USD, orders: 1, units: 1, revenueCents: 1099 },
    ]);
  });

  await t.step("by ISO week, named by its Monday", async () => {
    assert.deepEqual((await report(FROM, TO, "week")).buckets, [
      {
        period: "2026-11-16",
        ...USD,
        orders: 2,
        units: 4,
        revenueCents: 18296,
        refundCount: 1,
        refundedCents: laptop,
      },
      { period: "2026-11-23", ...USD, orders: 1, units: 3, revenueCents: 4800 },
      { period: "2026-11-30", ...USD, orders: 1, units: 1, revenueCents: 1099 },
    ]);
  });

  await t.step("by month, with totals per currency and top products", async () => {
    const r = await report(FROM, TO, "month");
    assert.deepEqual(r.buckets, [
      {
        period: "2026-11",
        ...USD,
        orders: 3,
        units: 7,
        revenueCents: 23096,
        refundCount: 1,
        refundedCents: laptop,
      },
      { period: "2026-12", ...USD, orders: 1, units: 1, revenueCents: 1099 },
    ]);
    assert.deepEqual(r.totals, [
      { ...USD, orders: 4, units: 8, revenueCents: 24195, refundCount: 1, refundedCents: laptop },
    ]);
    assert.deepEqual(r.topProducts, [
      { sku: "BOK-010", productName: "Dune", currency: "USD", units: 4, revenueCents: 4396 },
      {
        sku: "BOK-009",
        productName: "The Midnight Library",
        currency: "USD",
        units: 3,
        revenueCents: 4800,
      },
      {
        sku: "PHN-010",
        productName: "Motorola Moto G Play 2024",
        currency: "USD",
        units: 1,
        revenueCents: 14999,
      },
    ]);
  });

  await t.step("from is inclusive, to is exclusive", async () => {
    const r = await report(
      new Date("2026-11-21T18:00:00Z"),
      new Date("2026-12-01T10:00:00Z"),
      "day",
    );
    assert.deepEqual(r.totals, [
      { ...USD, orders: 2, units: 5, revenueCents: 20898, refundCount: 1, refundedCents: laptop },
    ]);
    assert.deepEqual(r.buckets.map((b) => b.period), ["2026-11-21", "2026-11-22", "2026-11-23"]);
  });

  await t.step("an empty range has no buckets and no totals", async () => {
    const r = await report(
      new Date("2025-01-01T00:00:00Z"),
      new Date("2025-02-01T00:00:00Z"),
      "month",
    );
    assert.deepEqual(r, { buckets: [], totals: [], topProducts: [] });
  });
});

Deno.test("revenueReport() without from/to covers the last 30 days up to now", async () => {
  const core = await history(); // the clock stands at 2026-12-01T10:00:00Z
  core.clock.set(new Date("2026-12-22T12:00:00Z"));
  const { query, report } = await core.useCases.revenueReport({ groupBy: "day" });
  assert.deepEqual(query, {
    from: new Date("2026-11-22T12:00:00Z"),
    to: new Date("2026-12-22T12:00:00Z"),
    groupBy: "day",
  });
  // 21 Nov and the refund paid on 22 Nov at 08:00 fall before the window.
  assert.deepEqual(report.buckets.map((b) => b.period), ["2026-11-23", "2026-12-01"]);
});

Deno.test("revenueReport() never adds two currencies", async () => {
  const core = await history();
  await core.ports.inventory.create(newInventoryItem({
    sku: "EUR-1",
    name: "Euro book",
    unitPriceCents: 2_000,
    currency: "EUR",
    stock: 10,
  }, core.clock.now()));
  await buyAt(core, "2026-12-01T11:00:00Z", [{ sku: "EUR-1", qty: 2 }]);
  const { report } = await core.useCases.revenueReport({ from: FROM, to: TO, groupBy: "month" });
  assert.deepEqual(report.buckets.filter((b) => b.period === "2026-12"), [
    { period: "2026-12", currency: "EUR", ...NO_REFUNDS, orders: 1, units: 2, revenueCents: 4000 },
    { period: "2026-12", ...USD, orders: 1, units: 1, revenueCents: 1099 },
  ]);
  assert.deepEqual(report.totals.map((t) => [t.currency, t.revenueCents]), [
    ["EUR", 4000],
    ["USD", 24195],
  ]);
  assert.deepEqual(report.topProducts.find((p) => p.sku === "EUR-1"), {
    sku: "EUR-1",
    productName: "Euro book",
    currency: "EUR",
    units: 2,
    revenueCents: 4000,
  });
});

const NO_REFUNDS = { refundCount: 0, refundedCents: 0 };
