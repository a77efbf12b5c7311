/**
 * The fixture and the helpers shared by the `OrderStore` contract's step files
 * (`orderStoreContract` in order_store_contract.ts runs them in one `Deno.test`).
 */
import { mergeLines, type StockLine } from "../../domain/inventory/stock.ts";
import type { NewOrder, Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";
import type { ChangeFeed } from "../search/change_feed.ts";
import type { InventoryStore, WarehouseStore } from "../inventory/inventory.ts";
import type { OrderStore, RevenueReports } from "../ordering/orders.ts";
import type { UserStore } from "../identity/users.ts";
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

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
export const T0 = Date.parse("2030-01-01T00:00:00.000Z");
export const at = (minutes: number, base = T0) => new Date(base + minutes * MINUTE);

export async function newUserId(fx: OrderFixture): Promise<string> {
  const user = testUser();
  if (fx.users) await fx.users.create(user);
  return user.id;
}

/** Creates an item with `stock` units and returns its SKU. */
export async function stocked(fx: OrderFixture, stock: number, priceCents = 1_000, name?: string) {
  const sku = uniqueSku();
  await fx.inventory.create(stockItem(sku, stock, priceCents, name));
  return sku;
}

/** A new order from explicit items; the pending cap is out of the way unless a step sets it. */
export function newOrder(
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

export function paymentFor(
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

export async function levels(fx: OrderFixture, sku: string) {
  const item = await fx.inventory.get(sku);
  return { stock: item?.stock, reserved: item?.reserved };
}

/** A random Monday between the years 3000 and 9000, so no other run shares its weeks. */
export function randomMonday(): number {
  const day = Date.UTC(3000, 0, 1) + Math.floor(Math.random() * 6_000 * 365) * DAY;
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY;
}
