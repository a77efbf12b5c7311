/** Placing, listing, reading and cancelling the caller's orders. */
import { Hono } from "hono";
import type { z } from "zod";
import type { DeliveryInput } from "../../application/checkout/delivery.ts";
import type { OrderAddress } from "../../domain/ordering/order.ts";
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
    "releasing its stock, unless paid first.\n\n" +
    "Delivery: a shipping address (`shippingAddressId`, one of the caller's addresses, or " +
    "`shippingAddress` inline) and a `shippingOptionId` are required; billing defaults to the " +
    "shipping address. Another user's address and an unknown option are 404; an option that " +
    "does not ship to the address's country is 422 `shipping_unavailable`; one priced in " +
    "another currency than the lines is 409 `currency_mismatch`. The order snapshots both " +
    "addresses and the option. Prices are read under the stock reservation and subtotal, " +
    "shipping, per-line tax (rounded half up, then summed) and `totalCents` are computed from " +
    "exactly those prices in the same step; `totalCents` is what payment charges.",
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
    "not_found",
    "shipping_unavailable",
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

type PlaceBody = z.infer<typeof PlaceOrderRequest>;

/** The request's delivery terms (the schema has made sure an address and an option are there). */
function deliveryOf(body: PlaceBody): DeliveryInput {
  const choice = (id: string | undefined, address: PlaceBody["shippingAddress"]) =>
    id !== undefined ? { addressId: id } : address && { address: inlineAddress(address) };
  return {
    shippingAddress: choice(body.shippingAddressId, body.shippingAddress)!,
    billingAddress: choice(body.billingAddressId, body.billingAddress),
    shippingOptionId: body.shippingOptionId!,
  };
}

function inlineAddress(a: NonNullable<PlaceBody["shippingAddress"]>): OrderAddress {
  return {
    name: a.name,
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    region: a.region ?? null,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone ?? null,
  };
}

export function ordersRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/", place.guard, async (c) => {
      const userId = principalOf(c).user.id;
      const key = place.headers(c)["Idempotency-Key"];
      const body = await place.body(c);
      const delivery = deliveryOf(body);
      return await respondIdempotently(c, useCases, { userId, key }, async (attempt) => ({
        status: 201,
        body: orderJson(
          await useCases.placeOrder({ userId, items: body.items, delivery, attempt }),
        ),
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
