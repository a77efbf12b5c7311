/**
 * Demo customers and orders for `deno task dev`, so the support search has something to find:
 * three customers (password `customer-password`) and their orders, one pending, two paid (one
 * shipped since) and one cancelled, with test-provider payment references `ch_seed_*`. Placed
 * through the order store like any checkout, so they reach the order index through the sync.
 */
import type { OrderStore } from "../../ports/ordering/orders.ts";
import type { UserStore } from "../../ports/identity/users.ts";
import type { Clock } from "../../ports/clock.ts";
import type { PasswordHasher } from "../../ports/identity/password_hasher.ts";

export const SEED_CUSTOMER_PASSWORD = "customer-password";

const CUSTOMERS = [
  { id: "seed-customer-ada", email: "ada.lovelace@example.com", displayName: "Ada Lovelace" },
  { id: "seed-customer-grace", email: "grace.hopper@example.com", displayName: "Grace Hopper" },
  { id: "seed-customer-alan", email: "alan.turing@example.com", displayName: "Alan Turing" },
] as const;

const ORDERS = [
  {
    id: "5eed0001-0000-4000-8000-000000000001",
    user: 0,
    lines: ["PHN-001", "HDP-006"],
    then: "paid",
  },
  { id: "5eed0002-0000-4000-8000-000000000002", user: 1, lines: ["MON-001"], then: "shipped" },
  { id: "5eed0003-0000-4000-8000-000000000003", user: 2, lines: ["SHO-002"], then: "pending" },
  { id: "5eed0004-0000-4000-8000-000000000004", user: 0, lines: ["HDP-010"], then: "cancelled" },
] as const;

export async function seedSupportOrders(ports: {
  readonly users: UserStore;
  readonly orders: OrderStore;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
}): Promise<void> {
  const now = ports.clock.now();
  const passwordHash = await ports.hasher.hash(SEED_CUSTOMER_PASSWORD);
  for (const c of CUSTOMERS) {
    if (await ports.users.get(c.id)) continue;
    await ports.users.create({ ...c, role: "customer", createdAt: now, passwordHash });
  }
  for (const [n, o] of ORDERS.entries()) {
    if (await ports.orders.get(o.id)) continue;
    const order = await ports.orders.place({
      id: o.id,
      userId: CUSTOMERS[o.user].id,
      lines: o.lines.map((sku) => ({ sku, qty: 1 })),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 7 * 24 * 3_600_000),
      source: "items",
      maxPendingPerUser: 10,
    });
    if (o.then === "cancelled") await ports.orders.cancel(order.id, now);
    if (o.then !== "paid" && o.then !== "shipped") continue;
    await ports.orders.confirmPayment({
      id: `seed-payment-${n + 1}`,
      orderId: order.id,
      userId: order.userId,
      status: "succeeded",
      amountCents: order.totalCents,
      currency: order.currency,
      provider: "test",
      providerRef: `ch_seed_${n + 1}`,
      failureReason: null,
      processedAt: now,
    });
    if (o.then === "shipped") await ports.orders.advance(order.id, "shipped", now);
  }
}
