/** Administration of orders: every customer's orders, their lifecycle, refunds and revenue. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { respondIdempotently } from "./_idempotent.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { adminOrderJson, orderJson, pageJson, revenueJson } from "./_views.ts";
import { IdempotencyHeaders } from "./schemas/_common.ts";
import { AdminOrderListQuery, AdminOrderPage, Revenue, RevenueQuery } from "./schemas/admin.ts";
import { Order, OrderIdParams } from "./schemas/orders.ts";

const listOrders = route({
  tag: "Admin",
  summary: "Every customer's orders, newest first",
  access: "admin",
  query: AdminOrderListQuery,
  success: { status: 200, description: "A page of orders.", schema: AdminOrderPage },
});

const advance = (to: "shipped" | "delivered", summary: string) =>
  route({
    tag: "Admin",
    summary,
    access: "admin",
    params: OrderIdParams,
    success: { status: 200, description: `The ${to} order.`, schema: Order },
    problems: ["not_found", "invalid_transition"],
  });

const ship = advance("shipped", "Mark a confirmed order shipped");
const deliver = advance("delivered", "Mark a shipped order delivered");
const refund = route({
  tag: "Admin",
  summary: "Refund a paid order and restock it",
  description: "Returns the money through the provider that took it, restocks, marks the " +
    "payment refunded and takes back the order's loyalty points and best-seller units. With " +
    "an `Idempotency-Key`, a retry replays the first answer instead of refunding again.",
  access: "admin",
  headers: IdempotencyHeaders,
  params: OrderIdParams,
  success: {
    status: 200,
    description: "The refunded order.",
    schema: Order,
    headers: { "Idempotent-Replayed": "`true` when this is a replay of an earlier response." },
  },
  problems: [
    "not_found",
    "invalid_transition",
    "payment_gateway_error",
    "idempotency_key_mismatch",
    "idempotency_in_flight",
  ],
});

const revenue = route({
  tag: "Admin",
  summary: "Revenue report",
  description: "Orders paid in [from, to) (default: the last 30 days up to now), grouped by " +
    "UTC day, ISO week or month and by currency (two currencies are never added), with " +
    "totals per currency and the best-selling products. Refunded orders are counted as " +
    "refunds in the bucket they were paid in. Money in integer cents.",
  access: "admin",
  query: RevenueQuery,
  success: { status: 200, description: "Buckets, totals and top products.", schema: Revenue },
});

export function adminOrdersRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/orders", listOrders.guard, async (c) => {
      const page = await useCases.listOrders(listOrders.query(c));
      return c.json(pageJson(page, adminOrderJson), 200);
    })
    .post("/orders/:id/ship", ship.guard, async (c) => {
      const { id } = ship.params(c);
      return c.json(orderJson(await useCases.advanceOrder({ orderId: id, to: "shipped" })), 200);
    })
    .post("/orders/:id/deliver", deliver.guard, async (c) => {
      const { id } = deliver.params(c);
      return c.json(orderJson(await useCases.advanceOrder({ orderId: id, to: "delivered" })), 200);
    })
    .post("/orders/:id/refund", refund.guard, async (c) => {
      const { id } = refund.params(c);
      const key = refund.headers(c)["Idempotency-Key"];
      const userId = principalOf(c).user.id;
      return await respondIdempotently(c, useCases, { userId, key }, async (run) => ({
        status: 200,
        body: orderJson(
          await useCases.refundOrder({ orderId: id, recovered: run?.recovered ?? false }),
        ),
      }));
    })
    .get("/analytics/revenue", revenue.guard, async (c) => {
      const { query, report } = await useCases.revenueReport(revenue.query(c));
      return c.json(revenueJson(query, report), 200);
    });
}
