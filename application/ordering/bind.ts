/** The ordering use cases (placing, reading and moving orders along), bound to their ports. */
import type { OrderStatus } from "../../domain/ordering/order.ts";
import type { PageRequest } from "../../domain/pagination.ts";
import type { Ports, Settings } from "../use_case_ports.ts";
import * as orders from "./manage_orders.ts";
import { placeOrder } from "./place_order.ts";

export function bindOrdering(p: Ports, settings: Settings) {
  return {
    placeOrder: (input: Parameters<typeof placeOrder>[1]) =>
      placeOrder({
        ...p,
        orderTtlMs: settings.orderTtlMs,
        maxPendingOrdersPerUser: settings.maxPendingOrdersPerUser,
      }, input),
    getOrder: (input: { userId: string; orderId: string }) => orders.getOrderDetail(p, input),
    listOrders: (input: PageRequest & { userId?: string; status?: OrderStatus }) =>
      orders.listOrders(p, input),
    cancelOrder: (input: { userId: string; orderId: string }) => orders.cancelOrder(p, input),
    advanceOrder: (input: { orderId: string; to: "shipped" | "delivered" }) =>
      orders.advanceOrder(p, input),
    refundOrder: (input: { orderId: string; recovered?: boolean }) => orders.refundOrder(p, input),
    expireOrders: (batchSize?: number) => orders.expireOrders(p, batchSize),
  };
}
