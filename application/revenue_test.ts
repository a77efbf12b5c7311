import assert from "node:assert/strict";
import type { StockLine } from "../domain/inventory/stock.ts";
import { type TestCore, testCore } from "../testing/core.ts";

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
  const refunded = await buyAt(core, "2026-11-22T08:00:00Z", [{ sku: "LAP-001", qty: 1 }]);
  await core.useCases.refundOrder({ orderId: refunded.id });
  await buyAt(core, "2026-11-23T09:00:00Z", [{ sku: "BOK-009", qty: 3 }]);
  const cancelled = await core.useCases.placeOrder({
    userId: USER,
    items: [{ sku: "LAP-002", qty: 1 }],
  });
  await core.useCases.cancelOrder({ userId: USER, orderId: cancelled.id });
  await buyAt(core, "2026-12-01T10:00:00Z", [{ sku: "BOK-010", qty: 1 }]);
  await core.useCases.placeOrder({ userId: USER, items: [{ sku: "LAP-003", qty: 1 }] });
  return core;
}

const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2027-01-01T00:00:00Z");

Deno.test("revenueReport() sums paid, unrefunded orders by period", async (t) => {
  const core = await history();

  await t.step("by day", async () => {
    const report = await core.useCases.revenueReport({ from: FROM, to: TO, groupBy: "day" });
    assert.deepEqual(report.buckets, [
      { period: "2026-11-21", orders: 2, units: 4, revenueCents: 18296 },
      { period: "2026-11-23", orders: 1, units: 3, revenueCents: 4800 },
      { period: "2026-12-01", orders: 1, units: 1, revenueCents: 1099 },
    ]);
  });

  await t.step("by ISO week, named by its Monday", async () => {
    const report = await core.useCases.revenueReport({ from: FROM, to: TO, groupBy: "week" });
    assert.deepEqual(report.buckets, [
      { period: "2026-11-16", orders: 2, units: 4, revenueCents: 18296 },
      { period: "2026-11-23", orders: 1, units: 3, revenueCents: 4800 },
      { period: "2026-11-30", orders: 1, units: 1, revenueCents: 1099 },
    ]);
  });

  await t.step("by month, with totals and top products", async () => {
    const report = await core.useCases.revenueReport({ from: FROM, to: TO, groupBy: "month" });
    assert.deepEqual(report.buckets, [
      { period: "2026-11", orders: 3, units: 7, revenueCents: 23096 },
      { period: "2026-12", orders: 1, units: 1, revenueCents: 1099 },
    ]);
    assert.deepEqual(report.totals, { orders: 4, units: 8, revenueCents: 24195 });
    assert.deepEqual(report.topProducts, [
      { sku: "BOK-010", productName: "Dune", units: 4, revenueCents: 4396 },
      { sku: "BOK-009", productName: "The Midnight Library", units: 3, revenueCents: 4800 },
      { sku: "PHN-010", productName: "Motorola Moto G Play 2024", units: 1, revenueCents: 14999 },
    ]);
  });

  await t.step("from is inclusive, to is exclusive", async () => {
    const report = await core.useCases.revenueReport({
      from: new Date("2026-11-21T18:00:00Z"),
      to: new Date("2026-12-01T10:00:00Z"),
      groupBy: "day",
    });
    assert.deepEqual(report.totals, { orders: 2, units: 5, revenueCents: 20898 });
    assert.deepEqual(report.buckets.map((b) => b.period), ["2026-11-21", "2026-11-23"]);
  });

  await t.step("an empty range has no buckets and zero totals", async () => {
    const report = await core.useCases.revenueReport({
      from: new Date("2025-01-01T00:00:00Z"),
      to: new Date("2025-02-01T00:00:00Z"),
      groupBy: "month",
    });
    assert.deepEqual(report, {
      buckets: [],
      totals: { orders: 0, units: 0, revenueCents: 0 },
      topProducts: [],
    });
  });
});
