/**
 * Domain values to JSON, field by field: each mapper returns exactly its schema's shape, so no
 * internal field (a user id on a payment, a version, a password hash) can leak by accident.
 * Dates go out as ISO strings.
 */
import type { User as DomainUser } from "../../domain/identity/user.ts";
import type { Page } from "../../domain/pagination.ts";
import type { CartView } from "../../application/cart/cart.ts";
import { iso, type Json } from "./_view_helpers.ts";
import type * as S from "./schemas.ts";

// The mappers live per area; every one stays importable from here.
export { productJson, searchJson } from "./_catalog_views.ts";
export { inventoryJson, stockRowJson, warehouseJson } from "./_inventory_views.ts";
export { adminOrderJson, orderDetailJson, orderJson, paymentJson } from "./_order_views.ts";
export { dutiesJson, reindexJobJson, revenueJson, syncStatusJson } from "./_admin_views.ts";

export function pageJson<T, U>(page: Page<T>, map: (item: T) => U) {
  return { items: page.items.map(map), page: page.page, size: page.size, total: page.total };
}

export function userJson(user: DomainUser): Json<typeof S.User> {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: iso(user.createdAt),
  };
}

export function cartJson(cart: CartView): Json<typeof S.Cart> {
  return {
    items: cart.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.name,
      variantLabel: i.variantLabel,
      name: i.name,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      available: i.available,
    })),
    totalCents: cart.totalCents,
    currency: cart.currency,
  };
}
