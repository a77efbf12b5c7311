/** The support team's use cases (order search, an order's record, customers), bound. */
import type { Ports } from "../use_case_ports.ts";
import * as support from "./support.ts";

export function bindSupport(p: Ports) {
  return {
    searchOrders: (query: support.OrderSearchInput) => support.searchOrders(p, query),
    supportOrder: (orderId: string) => support.supportOrder(p, orderId),
    findCustomers: (query: support.CustomerSearchInput) => support.findCustomers(p, query),
  };
}
