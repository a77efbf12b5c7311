/**
 * Reservation expiry racing a late payment, on the use cases (`payOrder`, `expireOrders`)
 * with the real PostgreSQL adapters and fixed clocks: the payment is sent a millisecond
 * before the order expires, the sweeper runs a millisecond after, both at once. Exactly one
 * may win each order: confirmed with one payment and its stock deducted, or cancelled with
 * its stock released and any charge taken meanwhile refunded.
 */
import assert from "node:assert/strict";
import { expireOrders } from "../application/ordering/manage_orders.ts";
import { payOrder } from "../application/payments/pay_order.ts";
import { placeOrder } from "../application/ordering/place_order.ts";
import { OrderNotPending } from "../domain/errors.ts";
import { FixedClock } from "../adapters/memory/fixed_clock.ts";
import { MemoryCartStore } from "../adapters/memory/carts.ts";
import { MemoryLeaderboards } from "../adapters/memory/leaderboards.ts";
import { TestPaymentGateway } from "../adapters/payments/test_gateway.ts";
import { connectPostgres } from "../adapters/postgres/connect.ts";
import { PostgresInventoryStore } from "../adapters/postgres/inventory_store.ts";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import { PostgresAddressBook } from "../adapters/postgres/address_book.ts";
import { PostgresShippingRates } from "../adapters/postgres/shipping_rates.ts";
import { PostgresTaxRates } from "../adapters/postgres/tax_rates.ts";
import { PostgresUserStore } from "../adapters/postgres/users.ts";
import { RandomIds } from "../adapters/system/ids.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import type { Figures } from "./_figures.ts";
import { uniqueTag } from "./_http.ts";
import { delay } from "./_servers.ts";
import type { Stack } from "./_stack.ts";

const TTL_MS = 60_000;
const RACES = 40;

export async function expiryRace(stack: Stack, figures: Figures): Promise<void> {
  // The worker's sweeper runs on the wall clock and would see these long-past orders too:
  // the race is between this payment and this sweeper only.
  await stack.worker.stop();
  const sql = connectPostgres({ url: stack.pg.url, poolSize: 8 });
  try {
    const orders = new PostgresOrderStore(sql);
    const inventory = new PostgresInventoryStore(sql);
    const users = new PostgresUserStore(sql);
    const gateway = new TestPaymentGateway();
    const ids = new RandomIds();
    const logger = new JsonLogger({ silent: true });
    // Long ago, so the sweeper of this test can only ever see this test's orders.
    const epoch = new Date("2001-01-01T00:00:00.000Z").getTime();
    const tag = uniqueTag();
    const sku = `EXP-${tag}`;
    const user = await users.create({
      id: ids.id(),
      email: `expiry-${tag.toLowerCase()}@reliability.test`,
      displayName: "expiry race",
      role: "customer",
      createdAt: new Date(epoch),
      passwordHash: `not-a-hash-${crypto.randomUUID()}`,
    });
    const stock = 1_000;
    await inventory.create({
      sku,
      productSku: sku,
      variantLabel: null,
      name: `Reliability ${sku}`,
      unitPriceCents: 2_500,
      currency: "USD",
      stock,
      reserved: 0,
      active: true,
      publishedAt: new Date(epoch),
      version: 0,
      updatedAt: new Date(epoch),
    });

    const tally = { paid: 0, expired: 0 };
    let units = 0;
    for (let i = 0; i < RACES; i++) {
      const placedAt = new Date(epoch + i * 3_600_000);
      const clock = new FixedClock(placedAt);
      const qty = 1 + (i % 3);
      const order = await placeOrder(
        {
          orders,
          carts: new MemoryCartStore(clock),
          // Orders placed here carry no delivery terms; the ports are there for the type.
          addresses: new PostgresAddressBook(sql),
          shipping: new PostgresShippingRates(sql),
          taxRates: new PostgresTaxRates(sql),
          clock,
          ids,
          orderTtlMs: TTL_MS,
          maxPendingOrdersPerUser: 3,
        },
        { userId: user.id, items: [{ sku, qty }] },
      );
      const expiresAt = order.expiresAt.getTime();
      const payClock = new FixedClock(new Date(expiresAt - 1));
      const sweepClock = new FixedClock(new Date(expiresAt + 1));
      // The sweeper is one statement, the payment a read, a charge and a transaction: the
      // sweeper starts a little later on average so that both get to win.
      const payment = delay(Math.random() * 3).then(() =>
        payOrder({
          orders,
          gateways: new Map([["test", gateway]]),
          carts: new MemoryCartStore(payClock),
          leaderboards: new MemoryLeaderboards(),
          clock: payClock,
          ids,
          logger,
        }, { userId: user.id, orderId: order.id, provider: "test", paymentToken: "tok_visa" })
      );
      const sweep = delay(2 + Math.random() * 8).then(() =>
        expireOrders({ orders, clock: sweepClock, logger })
      );
      const [paid, swept] = await Promise.allSettled([payment, sweep]);
      assert.equal(swept.status, "fulfilled", "the sweeper never fails");
      const stored = await orders.get(order.id);
      const payments = (await orders.payments(order.id)).filter((p) => p.status === "succeeded");
      if (paid.status === "fulfilled") {
        tally.paid++;
        units += qty;
        assert.equal(stored?.status, "confirmed", `race ${i}: paid but ${stored?.status}`);
        assert.equal(payments.length, 1, `race ${i}: ${payments.length} payments`);
        assert.equal(swept.value, 0, `race ${i}: the sweeper also expired a paid order`);
      } else {
        assert.ok(paid.reason instanceof OrderNotPending, `race ${i}: ${paid.reason}`);
        tally.expired++;
        assert.equal(stored?.status, "cancelled", `race ${i}: expired but ${stored?.status}`);
        assert.equal(payments.length, 0, `race ${i}: an expired order has a payment`);
        const charged = gateway.charges.filter((c) =>
          c.request.orderId === order.id && c.result.status === "succeeded"
        );
        for (const charge of charged) {
          assert.ok(
            gateway.refunds.some((r) => r.providerRef === charge.result.providerRef),
            `race ${i}: a charge for an expired order was not refunded`,
          );
        }
      }
    }
    const item = await inventory.get(sku);
    assert.equal(item?.stock, stock - units, "stock deducted for paid orders only");
    assert.equal(item?.reserved, 0, "no reservation outlives its race");
    figures.checked("expiry vs late payment races (use cases, real PostgreSQL)", RACES);
    figures.note(
      `expiry races: ${tally.paid} won by the payment, ${tally.expired} by the sweeper, ` +
        `${gateway.refunds.length} charges refunded, never both`,
    );
  } finally {
    await sql.end({ timeout: 5 });
    await stack.worker.start();
  }
}
