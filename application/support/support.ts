/** What the support team asks: orders by anything a customer may quote, and customers. */
import { NotFound } from "../../domain/errors.ts";
import type { User } from "../../domain/identity/user.ts";
import type { Page } from "../../domain/pagination.ts";
import type {
  OrderRecord,
  OrderSearchQuery,
  OrderSearchResult,
} from "../../domain/support/order_document.ts";
import type { CustomerDirectory } from "../../ports/support/customer_directory.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";

export type OrderSearchInput = OrderSearchQuery;
export type CustomerSearchInput = {
  readonly q?: string;
  readonly page: number;
  readonly size: number;
};

/** Searches the order index (derived: as current as the sync's lag). */
export function searchOrders(
  deps: { readonly orderIndex: OrderIndex },
  query: OrderSearchInput,
): Promise<OrderSearchResult> {
  return deps.orderIndex.search({ ...query, q: query.q.trim() });
}

/**
 * One order as PostgreSQL holds it now, with every payment attempt and its customer. Throws
 * `NotFound` for an unknown order.
 */
export async function supportOrder(
  deps: { readonly orderRecords: OrderRecords },
  orderId: string,
): Promise<OrderRecord> {
  const record = await deps.orderRecords.record(orderId);
  if (!record) throw new NotFound("order", orderId);
  return record;
}

export function findCustomers(
  deps: { readonly customers: CustomerDirectory },
  query: CustomerSearchInput,
): Promise<Page<User>> {
  return deps.customers.find({ q: query.q ?? "", page: query.page, size: query.size });
}
