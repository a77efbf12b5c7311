import assert from "node:assert/strict";
import { InvalidTransition } from "../errors.ts";
import { newInventoryItem } from "../inventory/stock.ts";
import {
  buildOrder,
  canTransition,
  isExpired,
  ORDER_STATUSES,
  type OrderStatus,
  transition,
  unitsOf,
} from "./order.ts";

const at = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-01T00:15:00Z");

function order() {
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
        { sku: "B", name: "Beta", unitPriceCents: 999, currency: "USD", stock: 5 },
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
  }, items);
}

Deno.test("order rules", async (t) => {
  await t.step("buildOrder() snapshots names and prices and totals in cents", () => {
    const o = order();
    assert.equal(o.status, "pending");
    assert.deepEqual(o.items[0], {
      sku: "A",
      productName: "Alpha",
      qty: 2,
      unitPriceCents: 1250,
      lineTotalCents: 2500,
    });
    assert.equal(o.totalCents, 3499);
    assert.equal(unitsOf(o), 3);
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
});
