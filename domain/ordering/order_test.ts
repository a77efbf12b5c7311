import assert from "node:assert/strict";
import { CurrencyMismatch, InvalidTransition, TooManyPendingOrders } from "../errors.ts";
import { newInventoryItem } from "../inventory/stock.ts";
import {
  assertPendingCapacity,
  buildOrder,
  canTransition,
  confirmWith,
  isExpired,
  ORDER_STATUSES,
  type OrderStatus,
  transition,
  unitsOf,
} from "./order.ts";

const at = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-01T00:15:00Z");

function order(eurSku = false) {
  const items = new Map([
    [
      "A",
      newInventoryItem(
        { sku: "A", name: "Alpha", unitPriceCents: 1250, currency: "USD", stock: 5 },
        at,
      ),
    ],
    [
      "B",
      newInventoryItem(
        {
          sku: "B",
          name: "Beta",
          unitPriceCents: 999,
          currency: eurSku ? "EUR" : "USD",
          stock: 5,
        },
        at,
      ),
    ],
  ]);
  return buildOrder({
    id: "o1",
    userId: "u1",
    lines: [{ sku: "A", qty: 2 }, { sku: "B", qty: 1 }],
    createdAt: at,
    expiresAt: later,
    source: "items",
  }, items);
}

Deno.test("order rules", async (t) => {
  await t.step("buildOrder() snapshots names and prices and totals in cents", () => {
    const o = order();
    assert.equal(o.status, "pending");
    assert.deepEqual(o.items[0], {
      sku: "A",
      productSku: "A",
      productName: "Alpha",
      variantLabel: null,
      qty: 2,
      unitPriceCents: 1250,
      lineTotalCents: 2500,
      taxCents: 0,
    });
    assert.equal(o.totalCents, 3499);
    assert.equal(unitsOf(o), 3);
  });

  await t.step("buildOrder() snapshots a variant's product SKU and label", () => {
    const tee = newInventoryItem({
      sku: "TEE-L",
      productSku: "TEE",
      variantLabel: "Blue / L",
      name: "Tee",
      unitPriceCents: 1500,
      currency: "USD",
      stock: 3,
    }, at);
    const o = buildOrder({
      id: "o2",
      userId: "u1",
      lines: [{ sku: "TEE-L", qty: 1 }],
      createdAt: at,
      expiresAt: later,
      source: "items",
    }, new Map([["TEE-L", tee]]));
    assert.equal(o.items[0].productSku, "TEE");
    assert.equal(o.items[0].variantLabel, "Blue / L");
  });

  await t.step("only the documented lifecycle moves are allowed", () => {
    const allowed = new Set([
      "pending>confirmed",
      "pending>cancelled",
      "confirmed>shipped",
      "shipped>delivered",
      "confirmed>refunded",
      "shipped>refunded",
      "delivered>refunded",
    ]);
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} -> ${to}`);
      }
    }
  });

  await t.step("transition() stamps paidAt on confirmation and refuses the rest", () => {
    const paid = transition(order(), "confirmed", later);
    assert.equal(paid.paidAt, later);
    assert.throws(
      () => transition(paid, "pending" as OrderStatus, later),
      (e: unknown) =>
        e instanceof InvalidTransition && e.from === "confirmed" && e.to === "pending",
    );
  });

  await t.step("isExpired() is true for pending orders at or past expiresAt", () => {
    const o = order();
    assert.equal(isExpired(o, new Date(later.getTime() - 1)), false);
    assert.equal(isExpired(o, later), true);
    assert.equal(isExpired(transition(o, "confirmed", at), later), false);
  });

  await t.step("buildOrder() refuses lines priced in two currencies", () => {
    assert.throws(
      () => order(true),
      (e: unknown) =>
        e instanceof CurrencyMismatch && e.code === "currency_mismatch" && e.sku === "B" &&
        e.expected === "USD" && e.found === "EUR",
    );
  });

  await t.step("confirmWith() shows the payment; a refund marks it refunded", () => {
    const paid = confirmWith(order(), {
      id: "p1",
      orderId: "o1",
      userId: "u1",
      status: "succeeded",
      amountCents: 3499,
      currency: "USD",
      provider: "test",
      providerRef: "ch_1",
      failureReason: null,
      processedAt: later,
    });
    assert.equal(paid.paidAt, later);
    assert.deepEqual(paid.payment, {
      provider: "test",
      status: "succeeded",
      amountCents: 3499,
      currency: "USD",
      providerRef: "ch_1",
      processedAt: later,
    });
    assert.equal(transition(paid, "refunded", later).payment?.status, "refunded");
  });

  await t.step("assertPendingCapacity() refuses once the cap is reached", () => {
    assertPendingCapacity(2, 3);
    assert.throws(
      () => assertPendingCapacity(3, 3),
      (e: unknown) => e instanceof TooManyPendingOrders && e.limit === 3,
    );
  });
});
