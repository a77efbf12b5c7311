/** Placing, listing, reading and cancelling the caller's orders. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { respondIdempotently } from "./_idempotent.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { orderDetailJson, orderJson, pageJson } from "./_views.ts";
import { IdempotencyHeaders } from "./schemas/_common.ts";
import {
  Order,
  OrderDetail,
  OrderIdParams,
  OrderListQuery,
  OrderPage,
  PlaceOrderRequest,
} from "./schemas/orders.ts";

const place = route({
  tag: "Orders",
  summary: "Place an order, reserving its stock",
  description: "Lines come from `items`, or from the cart when `items` is absent (paying such " +
    "an order takes exactly its quantities out of the cart; an order from `items` leaves the " +
    "cart alone). All lines reserve or none do, in one currency (`currency_mismatch` " +
    "otherwise). A customer holds at most `MAX_PENDING_ORDERS_PER_USER` pending orders " +
    "(default 3; `too_many_pending_orders` beyond). The pending order expires at `expiresAt`, " +
    "releasing its stock, unless paid first.",
  access: "user",
  headers: IdempotencyHeaders,
  body: PlaceOrderRequest,
  success: {
    status: 201,
    description: "The pending order.",
    schema: Order,
    headers: { "Idempotent-Replayed": "`true` when this is a replay of an earlier response." },
  },
  problems: [
    "insufficient_stock",
    "currency_mismatch",
    "too_many_pending_orders",
    "empty_order",
    "variant_required",
    "idempotency_key_mismatch",
    "idempotency_in_flight",
    "dependency_unavailable",
  ],
});

const list = route({
  tag: "Orders",
  summary: "The caller's orders, newest first",
  access: "user",
  query: OrderListQuery,
  success: { status: 200, description: "A page of orders.", schema: OrderPage },
});

const get = route({
  tag: "Orders",
  summary: "One of the caller's orders, with catalog data",
  description: "Another user's order is 404, never 403.",
  access: "user",
  params: OrderIdParams,
  success: { status: 200, description: "The order.", schema: OrderDetail },
  problems: ["not_found"],
});

const cancel = route({
  tag: "Orders",
  summary: "Cancel a pending order, releasing its stock",
  access: "user",
  params: OrderIdParams,
  success: { status: 200, description: "The cancelled order.", schema: Order },
  problems: ["not_found", "invalid_transition"],
});

export function ordersRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/", place.guard, async (c) => {
      const userId = principalOf(c).user.id;
      const key = place.headers(c)["Idempotency-Key"];
      const { items } = await place.body(c);
      return await respondIdempotently(c, useCases, { userId, key }, async (attempt) => ({
        status: 201,
        body: orderJson(await useCases.placeOrder({ userId, items, attempt })),
      }));
    })
    .get("/", list.guard, async (c) => {
      const query = list.query(c);
      const page = await useCases.listOrders({ ...query, userId: principalOf(c).user.id });
      return c.json(pageJson(page, orderJson), 200);
    })
    .get("/:id", get.guard, async (c) => {
      const { id } = get.params(c);
      const order = await useCases.getOrder({ userId: principalOf(c).user.id, orderId: id });
      return c.json(orderDetailJson(order), 200);
    })
    .post("/:id/cancel", cancel.guard, async (c) => {
      const { id } = cancel.params(c);
      const order = await useCases.cancelOrder({ userId: principalOf(c).user.id, orderId: id });
      return c.json(orderJson(order), 200);
    });
}
