import assert from "node:assert/strict";
import { type GroupBy, periodOf } from "../../domain/analytics/revenue.ts";
import {
  CurrencyMismatch,
  InsufficientStock,
  InvalidStockLevel,
  InvalidTransition,
  NotFound,
  OrderNotPending,
  TooManyPendingOrders,
} from "../../domain/errors.ts";
import { mergeLines, type StockLine } from "../../domain/inventory/stock.ts";
import type { NewOrder, Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type { ChangeFeed } from "../search/change_feed.ts";
import type { InventoryStore, WarehouseStore } from "../inventory/inventory.ts";
import type { OrderStore, RevenueReports } from "../ordering/orders.ts";
import type { UserStore } from "../identity/users.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import { collectFeed, feedHead } from "./change_feed_contract.ts";
import { orderAllocationContract } from "./order_allocation_contract.ts";
import { orderCheckoutContract } from "./order_checkout_contract.ts";
import { stockItem, uniqueSku } from "./inventory_store_contract.ts";
import { testUser } from "./users_contract.ts";

export interface OrderFixture {
  readonly orders: OrderStore;
  readonly revenue: RevenueReports;
  /** The stock the orders move (the same state/database as `orders`). */
  readonly inventory: InventoryStore;
  /** The warehouses of the same state/database. */
  readonly warehouses: WarehouseStore;
  /** The feed that carries inventory change events. */
  readonly feed: ChangeFeed;
  /** Give it where orders reference a users table: the suite then creates its users first. */
  readonly users?: UserStore;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (minutes: number, base = T0) => new Date(base + minutes * MINUTE);

async function newUserId(fx: OrderFixture): Promise<string> {
  const user = testUser();
  if (fx.users) await fx.users.create(user);
  return user.id;
}

/** Creates an item with `stock` units and returns its SKU. */
async function stocked(fx: OrderFixture, stock: number, priceCents = 1_000, name?: string) {
  const sku = uniqueSku();
  await fx.inventory.create(stockItem(sku, stock, priceCents, name));
  return sku;
}

/** A new order from explicit items; the pending cap is out of the way unless a step sets it. */
function newOrder(
  userId: string,
  lines: readonly StockLine[],
  createdAt = at(0),
  more: Partial<NewOrder> = {},
): NewOrder {
  return {
    id: crypto.randomUUID(),
    userId,
    lines: mergeLines(lines),
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 15 * MINUTE),
    source: "items",
    maxPendingPerUser: 1_000,
    ...more,
  };
}

function paymentFor(
  order: Order,
  processedAt: Date,
  providerRef = `ch_${crypto.randomUUID()}`,
  status: Payment["status"] = "succeeded",
): Payment {
  return {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status,
    amountCents: order.totalCents,
    currency: order.currency,
    provider: "test",
    providerRef,
    failureReason: status === "succeeded" ? null : "card_declined",
    processedAt,
  };
}

async function levels(fx: OrderFixture, sku: string) {
  const item = await fx.inventory.get(sku);
  return { stock: item?.stock, reserved: item?.reserved };
}

/** A random Monday between the years 3000 and 9000, so no other run shares its weeks. */
function randomMonday(): number {
  const day = Date.UTC(3000, 0, 1) + Math.floor(Math.random() * 6_000 * 365) * DAY;
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY;
}

export function orderStoreContract(
  label: string,
  make: MakeFixture<OrderFixture>,
  options: ContractOptions = {},
): void {
  orderAllocationContract(label, make, options);
  orderCheckoutContract(label, make, options);
  Deno.test({
    name: `${label}: OrderStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("place() reserves stock and snapshots price and name", async () => {
        const fx = await make();
        try {
          const { orders, inventory } = fx.subject;
          const mug = await stocked(fx.subject, 10, 1_250, "Blue mug");
          const pen = await stocked(fx.subject, 4, 199, "Pen");
          const input = newOrder(await newUserId(fx.subject), [
            { sku: mug, qty: 2 },
            { sku: pen, qty: 3 },
          ]);
          const placed = await orders.place(input);
          const expected: Order = {
            id: input.id,
            userId: input.userId,
            status: "pending",
            items: [
              {
                sku: mug,
                productSku: mug,
                productName: "Blue mug",
                variantLabel: null,
                qty: 2,
                unitPriceCents: 1_250,
                lineTotalCents: 2_500,
                taxCents: 0,
              },
              {
                sku: pen,
                productSku: pen,
                productName: "Pen",
                variantLabel: null,
                qty: 3,
                unitPriceCents: 199,
                lineTotalCents: 597,
                taxCents: 0,
              },
            ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
            subtotalCents: 3_097,
            shippingCents: 0,
            taxCents: 0,
            totalCents: 3_097,
            pricesIncludeTax: false,
            currency: "USD",
            shippingAddress: null,
            billingAddress: null,
            shipping: null,
            createdAt: input.createdAt,
            expiresAt: input.expiresAt,
            paidAt: null,
            updatedAt: input.createdAt,
            source: "items",
            payment: null,
          };
          const plain = (o: Order | null) => o && { ...o, items: o.items.map((i) => ({ ...i })) };
          assert.deepEqual(plain(placed), expected);
          assert.deepEqual(await levels(fx.subject, mug), { stock: 10, reserved: 2 });
          assert.deepEqual(await levels(fx.subject, pen), { stock: 4, reserved: 3 });

          await inventory.adjust(mug, { unitPriceCents: 9_999, name: "Red mug" }, at(1));
          assert.deepEqual(plain(await orders.get(input.id)), expected);
          assert.equal(await orders.get(crypto.randomUUID()), null);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "place() snapshots a variant's product SKU and label from inventory",
        async () => {
          const fx = await make();
          try {
            const { orders, inventory } = fx.subject;
            const product = uniqueSku("tee");
            const sku = `${product}-L`;
            await inventory.create({
              ...stockItem(sku, 5, 1_500, "Tee"),
              productSku: product,
              variantLabel: "Blue / L",
            });
            const input = newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]);
            const placed = await orders.place(input);
            const item = { sku, productSku: product, productName: "Tee", variantLabel: "Blue / L" };
            const pick = (o: Order | null) =>
              o?.items.map((i) => ({
                sku: i.sku,
                productSku: i.productSku,
                productName: i.productName,
                variantLabel: i.variantLabel,
              }));
            assert.deepEqual(pick(placed), [item]);
            await inventory.adjust(sku, { name: "Renamed" }, at(1));
            assert.deepEqual(pick(await orders.get(input.id)), [item], "a snapshot");
          } finally {
            await fx.close();
          }
        },
      );
      await t.step(
        "place() is all-or-nothing and names every short, unknown and inactive SKU",
        async () => {
          const fx = await make();
          try {
            const { orders, inventory } = fx.subject;
            const plenty = await stocked(fx.subject, 5);
            const short = await stocked(fx.subject, 1);
            const inactive = await stocked(fx.subject, 9);
            await inventory.discontinue(inactive, at(0));
            const unknown = uniqueSku();
            const input = newOrder(await newUserId(fx.subject), [
              { sku: plenty, qty: 2 },
              { sku: short, qty: 3 },
              { sku: inactive, qty: 1 },
              { sku: unknown, qty: 1 },
            ]);
            await assert.rejects(orders.place(input), (e: unknown) => {
              assert.ok(e instanceof InsufficientStock);
              assert.deepEqual([...e.skus].sort(), [short, inactive, unknown].sort());
              return true;
            });
            assert.deepEqual(await levels(fx.subject, plenty), { stock: 5, reserved: 0 });
            assert.deepEqual(await levels(fx.subject, short), { stock: 1, reserved: 0 });
            assert.equal(await orders.get(input.id), null);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "place() refuses drafts and SKUs scheduled after the order, naming them, until their time",
        async () => {
          const fx = await make();
          try {
            const { orders, inventory } = fx.subject;
            const live = await stocked(fx.subject, 5);
            const draft = uniqueSku();
            await inventory.create(stockItem(draft, 5, 1_000, undefined, null));
            const soon = uniqueSku();
            await inventory.create(stockItem(soon, 5, 1_000, undefined, at(10)));
            const userId = await newUserId(fx.subject);
            const early = newOrder(userId, [
              { sku: live, qty: 1 },
              { sku: draft, qty: 1 },
              { sku: soon, qty: 1 },
            ], at(9));
            await assert.rejects(orders.place(early), (e: unknown) => {
              assert.ok(e instanceof InsufficientStock);
              assert.deepEqual([...e.skus].sort(), [draft, soon].sort());
              return true;
            });
            assert.deepEqual(await levels(fx.subject, live), { stock: 5, reserved: 0 });
            assert.equal(await orders.get(early.id), null);
            // At its publication time the scheduled SKU sells, with no write in between.
            const onTime = await orders.place(newOrder(userId, [{ sku: soon, qty: 2 }], at(10)));
            assert.equal(onTime.status, "pending");
            assert.deepEqual(await levels(fx.subject, soon), { stock: 5, reserved: 2 });
            // Unpublishing stops the sale again; publishing a draft starts it.
            await inventory.adjust(soon, { publishedAt: null }, at(11));
            await assert.rejects(
              orders.place(newOrder(userId, [{ sku: soon, qty: 1 }], at(12))),
              InsufficientStock,
            );
            await inventory.adjust(draft, { publishedAt: at(11) }, at(11));
            await orders.place(newOrder(userId, [{ sku: draft, qty: 1 }], at(12)));
            assert.deepEqual(await levels(fx.subject, draft), { stock: 5, reserved: 1 });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("place(): 200 concurrent orders for 50 units, exactly 50 succeed", async () => {
        const fx = await make();
        try {
          const { orders } = fx.subject;
          const sku = await stocked(fx.subject, 50);
          const userId = await newUserId(fx.subject);
          const results = await Promise.allSettled(
            Array.from({ length: 200 }, () => orders.place(newOrder(userId, [{ sku, qty: 1 }]))),
          );
          const placed = results.filter((r) => r.status === "fulfilled");
          const refused = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
          assert.equal(placed.length, 50);
          assert.equal(refused.length, 150);
          for (const e of refused) {
            assert.ok(e instanceof InsufficientStock, `unexpected ${e}`);
            assert.deepEqual(e.skus, [sku]);
          }
          assert.deepEqual(await levels(fx.subject, sku), { stock: 50, reserved: 50 });
        } finally {
          await fx.close();
        }
      });

      await t.step("adjust() cannot take stock below what pending orders reserved", async () => {
        const fx = await make();
        try {
          const { orders, inventory } = fx.subject;
          const sku = await stocked(fx.subject, 5);
          await orders.place(newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]));
          await assert.rejects(inventory.adjust(sku, { stock: 2 }, at(1)), (e: unknown) => {
            assert.ok(e instanceof InvalidStockLevel);
            assert.deepEqual([e.sku, e.stock, e.reserved], [sku, 2, 3]);
            return true;
          });
          await assert.rejects(inventory.adjust(sku, { delta: -3 }, at(1)), InvalidStockLevel);
          assert.equal((await inventory.adjust(sku, { delta: -2 }, at(1))).stock, 3);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "confirmPayment() confirms, deducts once and replays the same providerRef",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10, 500);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]),
            );
            const payment = paymentFor(order, at(5));
            const first = await orders.confirmPayment(payment);
            assert.equal(first.kind, "confirmed");
            assert.equal(first.order.status, "confirmed");
            assert.equal(first.order.paidAt?.getTime(), at(5).getTime());
            assert.deepEqual({ ...first.payment }, payment);
            assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });

            const again = await orders.confirmPayment({
              ...paymentFor(order, at(6), payment.providerRef),
            });
            assert.equal(again.kind, "replayed");
            assert.equal(again.payment.id, payment.id);
            assert.equal(again.order.status, "confirmed");
            assert.equal(again.order.paidAt?.getTime(), at(5).getTime());
            assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });
            assert.deepEqual((await orders.payments(order.id)).map((p) => p.id), [payment.id]);

            await assert.rejects(orders.confirmPayment(paymentFor(order, at(7))), (e: unknown) => {
              assert.ok(e instanceof OrderNotPending);
              assert.deepEqual([e.orderId, e.status], [order.id, "confirmed"]);
              return true;
            });
            assert.deepEqual(await levels(fx.subject, sku), { stock: 7, reserved: 0 });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "confirmPayment(): concurrent calls with one providerRef confirm once",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]),
            );
            const ref = `ch_${crypto.randomUUID()}`;
            const results = await Promise.all(
              [at(1), at(2), at(3)].map((when) =>
                orders.confirmPayment(paymentFor(order, when, ref))
              ),
            );
            assert.deepEqual(results.map((r) => r.kind).sort(), [
              "confirmed",
              "replayed",
              "replayed",
            ]);
            assert.equal(new Set(results.map((r) => r.payment.id)).size, 1);
            assert.deepEqual(await levels(fx.subject, sku), { stock: 8, reserved: 0 });
            assert.equal((await orders.payments(order.id)).length, 1);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "confirmPayment() after expiry throws OrderNotPending and changes nothing",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 2 }]),
            );
            await assert.rejects(orders.confirmPayment(paymentFor(order, at(15))), (e: unknown) => {
              assert.ok(e instanceof OrderNotPending);
              assert.deepEqual([e.orderId, e.status], [order.id, "expired"]);
              return true;
            });
            assert.equal((await orders.get(order.id))?.status, "pending");
            assert.deepEqual(await orders.payments(order.id), []);
            assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 2 });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "recordFailedPayment() keeps the order pending and lists the attempt",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 1 }]),
            );
            const declined = paymentFor(order, at(1), undefined, "declined");
            await orders.recordFailedPayment(declined);
            assert.equal((await orders.get(order.id))?.status, "pending");
            assert.deepEqual((await orders.payments(order.id)).map((p) => ({ ...p })), [declined]);
            assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 1 });
            const paid = paymentFor(order, at(2));
            assert.equal((await orders.confirmPayment(paid)).kind, "confirmed");
            assert.deepEqual(
              (await orders.payments(order.id)).map((p) => p.status).sort(),
              ["declined", "succeeded"],
            );
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "cancel() releases the reservation; cancelling again throws InvalidTransition",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 4 }]),
            );
            const cancelled = await orders.cancel(order.id, at(1));
            assert.equal(cancelled.status, "cancelled");
            assert.equal(cancelled.updatedAt.getTime(), at(1).getTime());
            assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
            await assert.rejects(orders.cancel(order.id, at(2)), (e: unknown) => {
              assert.ok(e instanceof InvalidTransition);
              assert.deepEqual([e.from, e.to], ["cancelled", "cancelled"]);
              return true;
            });
            assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
            await assert.rejects(orders.cancel(crypto.randomUUID(), at(1)), NotFound);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "advance() moves confirmed -> shipped -> delivered; other moves throw",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10);
            const order = await orders.place(
              newOrder(await newUserId(fx.subject), [{ sku, qty: 1 }]),
            );
            await assert.rejects(orders.advance(order.id, "shipped", at(1)), (e: unknown) => {
              assert.ok(e instanceof InvalidTransition);
              assert.deepEqual([e.from, e.to], ["pending", "shipped"]);
              return true;
            });
            await orders.confirmPayment(paymentFor(order, at(1)));
            await assert.rejects(orders.advance(order.id, "delivered", at(2)), InvalidTransition);
            const shipped = await orders.advance(order.id, "shipped", at(2));
            assert.equal(shipped.status, "shipped");
            assert.equal(shipped.updatedAt.getTime(), at(2).getTime());
            assert.equal(shipped.paidAt?.getTime(), at(1).getTime());
            const delivered = await orders.advance(order.id, "delivered", at(3));
            assert.equal(delivered.status, "delivered");
            assert.equal((await orders.get(order.id))?.status, "delivered");
            await assert.rejects(orders.advance(order.id, "shipped", at(4)), InvalidTransition);
            await assert.rejects(orders.cancel(order.id, at(4)), InvalidTransition);
            await assert.rejects(orders.advance(crypto.randomUUID(), "shipped", at(4)), NotFound);
            assert.deepEqual(await levels(fx.subject, sku), { stock: 9, reserved: 0 });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("refund() restocks and marks the payment refunded, once", async () => {
        const fx = await make();
        try {
          const { orders } = fx.subject;
          const sku = await stocked(fx.subject, 10);
          const order = await orders.place(
            newOrder(await newUserId(fx.subject), [{ sku, qty: 3 }]),
          );
          await assert.rejects(orders.refund(order.id, at(1)), (e: unknown) => {
            assert.ok(e instanceof InvalidTransition);
            assert.deepEqual([e.from, e.to], ["pending", "refunded"]);
            return true;
          });
          const payment = paymentFor(order, at(1));
          await orders.confirmPayment(payment);
          await orders.advance(order.id, "shipped", at(2));
          const refunded = await orders.refund(order.id, at(3));
          assert.equal(refunded.status, "refunded");
          assert.equal(refunded.updatedAt.getTime(), at(3).getTime());
          assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
          const payments = await orders.payments(order.id);
          assert.deepEqual(payments.map((p) => [p.id, p.status]), [[payment.id, "refunded"]]);
          await assert.rejects(orders.refund(order.id, at(4)), InvalidTransition);
          assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 0 });
          await assert.rejects(orders.refund(crypto.randomUUID(), at(4)), NotFound);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "expireDue() cancels each expired order exactly once across callers",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            // 2001: no other step or run leaves pending orders that expire this early.
            const base = Date.parse("2001-01-01T00:00:00.000Z");
            const now = at(60, base);
            const sku = await stocked(fx.subject, 10);
            const userId = await newUserId(fx.subject);
            const expired: Order[] = [];
            for (let i = 0; i < 3; i++) {
              expired.push(await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(i, base))));
            }
            const live = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(50, base)));
            const mine = new Set(expired.map((o) => o.id));

            const [a, b] = await Promise.all([orders.expireDue(now, 2), orders.expireDue(now, 2)]);
            assert.ok(a.length <= 2 && b.length <= 2, "expireDue() exceeded its limit");
            const swept = [...a, ...b];
            for (let round = 0; round < 20; round++) {
              const more = await orders.expireDue(now, 100);
              if (more.length === 0) break;
              swept.push(...more);
            }
            const ours = swept.filter((o) => mine.has(o.id) || o.id === live.id);
            assert.deepEqual(ours.map((o) => o.id).sort(), [...mine].sort());
            for (const o of ours) {
              assert.equal(o.status, "cancelled");
              assert.equal(o.updatedAt.getTime(), now.getTime());
            }
            assert.equal(
              new Set(swept.map((o) => o.id)).size,
              swept.length,
              "an order expired twice",
            );
            assert.deepEqual(await levels(fx.subject, sku), { stock: 10, reserved: 1 });
            assert.equal((await orders.get(live.id))?.status, "pending");

            await assert.rejects(
              orders.confirmPayment(paymentFor(expired[0], at(10, base))),
              (e: unknown) => {
                assert.ok(e instanceof OrderNotPending);
                assert.equal(e.status, "cancelled");
                return true;
              },
            );
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "place() refuses lines in two currencies as CurrencyMismatch, reserving nothing",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const usd = await stocked(fx.subject, 5, 1_000, "Dollar");
            const eur = uniqueSku();
            await fx.subject.inventory.create({
              ...stockItem(eur, 5, 900, "Euro"),
              currency: "EUR",
            });
            const userId = await newUserId(fx.subject);
            await assert.rejects(
              orders.place(newOrder(userId, [{ sku: usd, qty: 1 }, { sku: eur, qty: 1 }])),
              (error) => {
                assert.ok(error instanceof CurrencyMismatch);
                assert.equal(error.code, "currency_mismatch");
                const [first, second] = [usd, eur].sort();
                assert.equal(error.sku, second);
                assert.equal(error.expected, first === usd ? "USD" : "EUR");
                assert.equal(error.found, first === usd ? "EUR" : "USD");
                return true;
              },
            );
            assert.deepEqual(await levels(fx.subject, usd), { stock: 5, reserved: 0 });
            assert.deepEqual(await levels(fx.subject, eur), { stock: 5, reserved: 0 });
            assert.equal((await orders.list({ userId, page: 1, size: 10 })).total, 0);
            const euros = await orders.place(newOrder(userId, [{ sku: eur, qty: 2 }]));
            assert.equal(euros.currency, "EUR");
            assert.equal(euros.totalCents, 1_800);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "an order keeps its source, and shows its payment once paid (refunded after a refund)",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 10, 500);
            const userId = await newUserId(fx.subject);
            const fromCart = await orders.place(
              newOrder(userId, [{ sku, qty: 2 }], at(1), { source: "cart" }),
            );
            assert.equal(fromCart.source, "cart");
            assert.equal(fromCart.payment, null);
            assert.equal((await orders.get(fromCart.id))?.source, "cart");
            const fromItems = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(1)));
            assert.equal((await orders.get(fromItems.id))?.source, "items");

            const charge = paymentFor(fromCart, at(2));
            await orders.recordFailedPayment(paymentFor(fromCart, at(2), undefined, "declined"));
            const { order: paid } = await orders.confirmPayment(charge);
            const summary = {
              provider: "test",
              status: "succeeded",
              amountCents: 1_000,
              currency: "USD",
              providerRef: charge.providerRef,
              processedAt: at(2),
            };
            assert.deepEqual({ ...paid.payment }, summary);
            assert.deepEqual({ ...(await orders.get(fromCart.id))?.payment }, summary);
            const refunded = await orders.refund(fromCart.id, at(3));
            assert.deepEqual({ ...refunded.payment }, { ...summary, status: "refunded" });
            assert.deepEqual({ ...(await orders.get(fromCart.id))?.payment }, {
              ...summary,
              status: "refunded",
            });
            const [listed] = (await orders.list({ userId, status: "refunded", page: 1, size: 5 }))
              .items;
            assert.equal(listed.payment?.status, "refunded");
            assert.equal(listed.source, "cart");
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "place() caps live pending orders per user: TooManyPendingOrders, nothing reserved",
        async () => {
          const fx = await make();
          try {
            const { orders } = fx.subject;
            const sku = await stocked(fx.subject, 100);
            const userId = await newUserId(fx.subject);
            const capped = (minutes: number) =>
              newOrder(userId, [{ sku, qty: 1 }], at(minutes), { maxPendingPerUser: 2 });
            const first = await orders.place(capped(0));
            await orders.place(capped(1));
            await assert.rejects(orders.place(capped(2)), (error) => {
              assert.ok(error instanceof TooManyPendingOrders);
              assert.equal(error.code, "too_many_pending_orders");
              assert.equal(error.limit, 2);
              return true;
            });
            assert.deepEqual(await levels(fx.subject, sku), { stock: 100, reserved: 2 });

            // Another user is not affected; a cancelled order frees a place.
            const other = await newUserId(fx.subject);
            await orders.place(
              newOrder(other, [{ sku, qty: 1 }], at(2), { maxPendingPerUser: 2 }),
            );
            await orders.cancel(first.id, at(3));
            const third = await orders.place(capped(4));
            await assert.rejects(orders.place(capped(5)), TooManyPendingOrders);

            // A paid order is no longer pending; an expired one no longer counts.
            await orders.confirmPayment(paymentFor(third, at(6)));
            await orders.place(capped(7));
            await assert.rejects(orders.place(capped(8)), TooManyPendingOrders);
            await orders.place(capped(1 + 15)); // the order placed at minute 1 has expired
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("list() is newest first, paginates and filters by user and status", async () => {
        const fx = await make();
        try {
          const { orders } = fx.subject;
          const sku = await stocked(fx.subject, 20);
          const userId = await newUserId(fx.subject);
          const placed: Order[] = [];
          for (let i = 1; i <= 5; i++) {
            placed.push(await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(i))));
          }
          const newest = [...placed].reverse().map((o) => o.id);
          const ids = (p: { items: readonly Order[] }) => p.items.map((o) => o.id);

          const page1 = await orders.list({ userId, page: 1, size: 2 });
          assert.deepEqual(ids(page1), newest.slice(0, 2));
          assert.deepEqual([page1.page, page1.size, page1.total], [1, 2, 5]);
          const page3 = await orders.list({ userId, page: 3, size: 2 });
          assert.deepEqual(ids(page3), newest.slice(4));
          assert.deepEqual((await orders.list({ userId, page: 4, size: 2 })).items, []);

          await orders.cancel(placed[1].id, at(10));
          const cancelled = await orders.list({ userId, status: "cancelled", page: 1, size: 10 });
          assert.deepEqual([ids(cancelled), cancelled.total], [[placed[1].id], 1]);
          const pending = await orders.list({ userId, status: "pending", page: 1, size: 10 });
          assert.equal(pending.total, 4);

          const twins = [
            await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(20))),
            await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(20))),
          ];
          const top = await orders.list({ userId, page: 1, size: 2 });
          assert.deepEqual(ids(top), twins.map((o) => o.id).sort().reverse(), "ties go id desc");

          const other = await newUserId(fx.subject);
          assert.equal((await orders.list({ userId: other, page: 1, size: 10 })).total, 0);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "revenue() buckets paid orders by period and currency, reports refunds, ranks products",
        async () => {
          const fx = await make();
          try {
            const { orders, revenue } = fx.subject;
            const monday = randomMonday();
            const from = new Date(monday);
            const to = new Date(monday + 14 * DAY);
            const p1 = await stocked(fx.subject, 100, 1_000, "One");
            const p2 = await stocked(fx.subject, 100, 250, "Two");
            const p3 = await stocked(fx.subject, 100, 5_000, "Three");
            const p4 = uniqueSku();
            await fx.subject.inventory.create({
              ...stockItem(p4, 100, 700, "Four"),
              currency: "EUR",
            });
            const userId = await newUserId(fx.subject);
            const pay = async (lines: StockLine[], paidAt: number) => {
              const order = await orders.place(newOrder(userId, lines, new Date(paidAt - MINUTE)));
              await orders.confirmPayment(paymentFor(order, new Date(paidAt)));
              return order;
            };
            const day1 = monday + DAY + 10 * 60 * MINUTE;
            const day8 = monday + 8 * DAY;
            await pay([{ sku: p1, qty: 1 }, { sku: p2, qty: 4 }], day1); // 2000
            await pay([{ sku: p2, qty: 4 }, { sku: p3, qty: 1 }], day1 + 120 * MINUTE); // 6000
            await pay([{ sku: p4, qty: 2 }], day1 + 130 * MINUTE); // 1400 EUR, never added to USD
            const shipped = await pay([{ sku: p1, qty: 2 }, { sku: p3, qty: 2 }], day8); // 12000
            await orders.advance(shipped.id, "shipped", new Date(day8 + MINUTE));
            const refunded = await pay([{ sku: p1, qty: 1 }], day8 + MINUTE);
            await orders.refund(refunded.id, new Date(day8 + 2 * MINUTE));
            await orders.place(newOrder(userId, [{ sku: p1, qty: 1 }], new Date(day8)));
            await pay([{ sku: p1, qty: 1 }], to.getTime());
            await pay([{ sku: p1, qty: 1 }], from.getTime() - 1);
            await pay([{ sku: p2, qty: 1 }], from.getTime()); // 250 on the inclusive edge

            const days = await revenue.revenue({ from, to, groupBy: "day" }, 10);
            const usd = { currency: "USD", refundCount: 0, refundedCents: 0 };
            assert.deepEqual(days.buckets.map((b) => ({ ...b })), [
              { period: periodOf(from, "day"), ...usd, orders: 1, units: 1, revenueCents: 250 },
              {
                period: periodOf(new Date(day1), "day"),
                currency: "EUR",
                orders: 1,
                units: 2,
                revenueCents: 1_400,
                refundCount: 0,
                refundedCents: 0,
              },
              {
                period: periodOf(new Date(day1), "day"),
                ...usd,
                orders: 2,
                units: 10,
                revenueCents: 8_000,
              },
              {
                period: periodOf(new Date(day8), "day"),
                ...usd,
                orders: 1,
                units: 4,
                revenueCents: 12_000,
                refundCount: 1,
                refundedCents: 1_000,
              },
            ]);
            assert.deepEqual(days.totals.map((t) => ({ ...t })), [
              {
                currency: "EUR",
                orders: 1,
                units: 2,
                revenueCents: 1_400,
                refundCount: 0,
                refundedCents: 0,
              },
              {
                currency: "USD",
                orders: 4,
                units: 15,
                revenueCents: 20_250,
                refundCount: 1,
                refundedCents: 1_000,
              },
            ]);
            assert.deepEqual(days.topProducts.map((p) => ({ ...p })), [
              { sku: p2, productName: "Two", currency: "USD", units: 9, revenueCents: 2_250 },
              { sku: p3, productName: "Three", currency: "USD", units: 3, revenueCents: 15_000 },
              { sku: p1, productName: "One", currency: "USD", units: 3, revenueCents: 3_000 },
              { sku: p4, productName: "Four", currency: "EUR", units: 2, revenueCents: 1_400 },
            ]);

            const weeks = await revenue.revenue({ from, to, groupBy: "week" }, 2);
            assert.deepEqual(
              weeks.buckets.filter((b) => b.currency === "USD").map((b) => ({ ...b })),
              [
                {
                  period: periodOf(from, "week"),
                  ...usd,
                  orders: 3,
                  units: 11,
                  revenueCents: 8_250,
                },
                {
                  period: periodOf(new Date(day8), "week"),
                  ...usd,
                  orders: 1,
                  units: 4,
                  revenueCents: 12_000,
                  refundCount: 1,
                  refundedCents: 1_000,
                },
              ],
            );
            assert.deepEqual(weeks.topProducts.map((p) => p.sku), [p2, p3]);

            const months = await revenue.revenue({ from, to, groupBy: "month" }, 0);
            const expectedMonths = new Map<string, number>();
            for (const [when, cents] of [[from.getTime(), 250], [day1, 8_000], [day8, 12_000]]) {
              const period = periodOf(new Date(when), "month" as GroupBy);
              expectedMonths.set(period, (expectedMonths.get(period) ?? 0) + cents);
            }
            assert.deepEqual(
              months.buckets.filter((b) => b.currency === "USD").map((b) => [
                b.period,
                b.revenueCents,
              ]),
              [...expectedMonths].sort(([a], [b]) => (a < b ? -1 : 1)),
            );
            assert.deepEqual(months.topProducts, []);

            const empty = await revenue.revenue(
              { from: new Date(monday + 3 * DAY), to: new Date(monday + 4 * DAY), groupBy: "day" },
              5,
            );
            assert.deepEqual(
              {
                buckets: [...empty.buckets],
                totals: [...empty.totals],
                top: [...empty.topProducts],
              },
              { buckets: [], totals: [], top: [] },
            );
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("every stock movement is recorded in the inventory feed", async () => {
        const fx = await make();
        try {
          const { orders, feed } = fx.subject;
          const head = await feedHead(feed);
          const sku = await stocked(fx.subject, 10);
          const userId = await newUserId(fx.subject);
          const kept = await orders.place(newOrder(userId, [{ sku, qty: 2 }], at(1)));
          await orders.confirmPayment(paymentFor(kept, at(2)));
          await orders.refund(kept.id, at(3));
          const dropped = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(4)));
          await orders.cancel(dropped.id, at(5));
          const expiring = await orders.place(newOrder(userId, [{ sku, qty: 1 }], at(6)));
          await assert.rejects(orders.advance(kept.id, "shipped", at(7)), InvalidTransition);
          await assert.rejects(
            orders.confirmPayment(paymentFor(expiring, at(30))),
            OrderNotPending,
          );

          const { events } = await collectFeed(feed, head, (e) => e.sku === sku, 7);
          assert.ok(events.every((e) => e.source === "inventory"));
          assert.deepEqual(
            [...new Set(events.map((e) => e.at.getTime()))],
            [0, 1, 2, 3, 4, 5, 6].map((m) => at(m).getTime()),
          );
          const all = await collectFeed(feed, head, (e) => e.sku === sku, 8, 300);
          assert.equal(all.events.length, 7, "a refused operation must not record a change");
        } finally {
          await fx.close();
        }
      });
    },
  });
}
