import assert from "node:assert/strict";
import type { Order } from "../../domain/ordering/order.ts";
import type { InventoryStore } from "../inventory/inventory.ts";
import type { UserStore } from "../identity/users.ts";
import type { OrderStore } from "../ordering/orders.ts";
import type { ChangeEvent, ChangeFeed } from "../search/change_feed.ts";
import type { CustomerDirectory } from "../support/customer_directory.ts";
import type { OrderRecords } from "../support/order_records.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";
import { collectFeed, feedHead } from "./change_feed_contract.ts";
import { stockItem, uniqueSku } from "./inventory_store_contract.ts";
import { testUser } from "./users_contract.ts";

export interface OrderRecordsFixture {
  readonly records: OrderRecords;
  readonly customers: CustomerDirectory;
  /** The stores of the same state/database. */
  readonly orders: OrderStore;
  readonly inventory: InventoryStore;
  readonly users: UserStore;
  /** The feed of order events (the outbox's `order` rows). */
  readonly orderFeed: ChangeFeed;
  /** The feed of stock events, which must not carry order events. */
  readonly stockFeed: ChangeFeed;
}

const MINUTE = 60_000;
const T0 = Date.parse("2031-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

/**
 * What the support index is built from: each order with its payments, customer and a version
 * that grows with every change, and one `order` event per change on its own feed, written
 * with the change (so the sync never misses one); plus the customer directory.
 */
export function orderRecordsContract(
  label: string,
  make: MakeFixture<OrderRecordsFixture>,
  options: ContractOptions = {},
): void {
  defineContract("OrderRecords", label, make, options, async (step) => {
    await step(
      "every order and payment change bumps the version and emits an event",
      async (fx) => {
        const user = testUser({ displayName: "Hedy Lamarr" });
        await fx.users.create(user);
        const sku = uniqueSku();
        await fx.inventory.create(stockItem(sku, 10, 2_500, "Frequency Hopper"));
        const head = await feedHead(fx.orderFeed);
        const stockHead = await feedHead(fx.stockFeed);
        const order = await fx.orders.place(newOrder(user.id, sku, at(1)));
        const versions = [(await fx.records.record(order.id))!.version];
        const declined = payment(order, at(2), "declined");
        await fx.orders.recordFailedPayment(declined);
        versions.push((await fx.records.record(order.id))!.version);
        const paid = payment(order, at(3), "succeeded");
        await fx.orders.confirmPayment(paid);
        versions.push((await fx.records.record(order.id))!.version);
        await fx.orders.advance(order.id, "shipped", at(4));
        versions.push((await fx.records.record(order.id))!.version);
        await fx.orders.refund(order.id, at(5));
        const record = (await fx.records.record(order.id))!;
        versions.push(record.version);
        for (let i = 1; i < versions.length; i++) {
          assert.ok(versions[i] > versions[i - 1], `versions grow: ${versions}`);
        }
        const { events } = await collectFeed(
          fx.orderFeed,
          head,
          (e) => e.sku === order.id,
          5,
          15_000,
        );
        assert.ok(events.length >= 5, `one event per change, got ${events.length}`);
        assert.ok(events.every((e) => e.source === "order"));
        const stock = await collectFeed(
          fx.stockFeed,
          stockHead,
          (e) => e.source === "order",
          1,
          300,
        );
        assert.deepEqual(stock.events, [], "the stock feed carries no order events");

        assert.equal(record.order.status, "refunded");
        assert.deepEqual(record.customer, {
          id: user.id,
          email: user.email,
          displayName: "Hedy Lamarr",
        });
        assert.deepEqual(
          record.payments.map((p) => [p.providerRef, p.status, p.failureReason]),
          [[declined.providerRef, "declined", "card_declined"], [
            paid.providerRef,
            "refunded",
            null,
          ]],
        );
        assert.equal(record.payments[1].processedAt.getTime(), at(3).getTime());
      },
    );

    await step("cancel and expiry emit events; a replayed payment does not", async (fx) => {
      const user = testUser();
      await fx.users.create(user);
      const sku = uniqueSku();
      await fx.inventory.create(stockItem(sku, 10));
      const place = (minute: number) => fx.orders.place(newOrder(user.id, sku, at(minute)));
      const cancelled = await place(10);
      const expiring = await place(10);
      const paid = await place(10);
      const charge = payment(paid, at(11), "succeeded");
      await fx.orders.confirmPayment(charge);
      // Counted from the feed's start up to a marker order placed last, so an event committed
      // late (the outbox holds rows back behind older open transactions) is never missed.
      const before = count(await eventsUntil(fx.orderFeed, (await place(12)).id));
      assert.equal(await fx.orders.confirmPayment(charge).then((r) => r.kind), "replayed");
      await fx.orders.recordFailedPayment({ ...charge, id: crypto.randomUUID() }); // same ref
      await fx.orders.cancel(cancelled.id, at(13));
      await fx.orders.expireDue(at(60), 100);
      const after = count(await eventsUntil(fx.orderFeed, (await place(61)).id));
      assert.equal(after(paid.id), before(paid.id), "a replay changes nothing");
      assert.equal(after(cancelled.id), before(cancelled.id) + 1);
      assert.equal(after(expiring.id), before(expiring.id) + 1);
      assert.equal((await fx.records.record(expiring.id))!.order.status, "cancelled");
    });

    await step("all() yields every order once, count() says how many", async (fx) => {
      const user = testUser();
      await fx.users.create(user);
      const sku = uniqueSku();
      await fx.inventory.create(stockItem(sku, 10));
      const before = await fx.records.count();
      const placed = [
        await fx.orders.place(newOrder(user.id, sku, at(20))),
        await fx.orders.place(newOrder(user.id, sku, at(21))),
      ];
      assert.equal(await fx.records.count(), before + 2);
      const seen: string[] = [];
      for await (const r of fx.records.all()) seen.push(r.order.id);
      assert.equal(seen.length, before + 2);
      assert.equal(new Set(seen).size, seen.length);
      for (const o of placed) assert.ok(seen.includes(o.id));
      assert.equal(await fx.records.record("no-such-order"), null);
    });

    await step("the directory finds customers by email prefix or part of the name", async (fx) => {
      const tag = crypto.randomUUID().slice(0, 8);
      const first = testUser({
        email: `zz-${tag}-katherine@example.com`,
        displayName: `Katherine ${tag} Johnson`,
        createdAt: at(1),
      });
      const second = testUser({
        email: `zz-${tag}-dorothy@example.com`,
        displayName: "Dorothy Vaughan",
        createdAt: at(2),
      });
      await fx.users.create(first);
      await fx.users.create(second);
      const find = async (q: string, page = 1, size = 20) =>
        await fx.customers.find({ q, page, size });
      const emails = (p: { items: readonly { email: string }[] }) => p.items.map((u) => u.email);
      assert.deepEqual(emails(await find(`ZZ-${tag}`)), [second.email, first.email]);
      assert.deepEqual(emails(await find(`${tag} johnson`)), [first.email]);
      assert.deepEqual(emails(await find(`${tag}-dorothy`)), []); // not an email prefix
      const paged = await find(`zz-${tag}`, 2, 1);
      assert.deepEqual([emails(paged), paged.total], [[first.email], 2]);
      assert.deepEqual(emails(await find("%")), [], "LIKE wildcards are data");
    });
  });
}

/** Every event from the feed's start through the first one for `marker`. */
async function eventsUntil(feed: ChangeFeed, marker: string): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  const deadline = Date.now() + 15_000;
  let last: string | null = null;
  while (!events.some((e) => e.sku === marker)) {
    if (Date.now() > deadline) throw new Error(`no event for ${marker} within 15 s`);
    const batch = await feed.poll(last, 500, 250);
    events.push(...batch);
    if (batch.length > 0) last = batch[batch.length - 1].checkpoint;
  }
  return events;
}

function count(events: readonly ChangeEvent[]): (sku: string) => number {
  return (sku) => events.filter((e) => e.sku === sku && e.source === "order").length;
}

function newOrder(userId: string, sku: string, createdAt: Date) {
  return {
    id: crypto.randomUUID(),
    userId,
    lines: [{ sku, qty: 1 }],
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 15 * MINUTE),
    source: "items" as const,
    maxPendingPerUser: 1_000,
  };
}

function payment(order: Order, processedAt: Date, status: "succeeded" | "declined") {
  return {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status,
    amountCents: order.totalCents,
    currency: order.currency,
    provider: "test",
    providerRef: `ch_${crypto.randomUUID()}`,
    failureReason: status === "succeeded" ? null : "card_declined",
    processedAt,
  };
}
