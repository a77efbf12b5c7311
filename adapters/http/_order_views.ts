/** Orders and payments to JSON, field by field (see _views.ts). */
import type { Order as DomainOrder } from "../../domain/ordering/order.ts";
import type { Payment as DomainPayment } from "../../domain/payments/payment.ts";
import type { OrderDetail as DomainOrderDetail } from "../../application/ordering/manage_orders.ts";
import { iso, isoOrNull, type Json } from "./_view_helpers.ts";
import type * as S from "./schemas.ts";

/** `expiresAt` only while the order can still expire; the payment without any user data. */
function orderHead(o: DomainOrder | DomainOrderDetail) {
  const p = o.payment;
  return {
    id: o.id,
    status: o.status,
    subtotalCents: o.subtotalCents,
    shippingCents: o.shippingCents,
    taxCents: o.taxCents,
    totalCents: o.totalCents,
    pricesIncludeTax: o.pricesIncludeTax,
    currency: o.currency,
    shippingAddress: o.shippingAddress && { ...o.shippingAddress },
    billingAddress: o.billingAddress && { ...o.billingAddress },
    shipping: o.shipping && { ...o.shipping },
    source: o.source,
    createdAt: iso(o.createdAt),
    expiresAt: o.status === "pending" ? iso(o.expiresAt) : null,
    paidAt: isoOrNull(o.paidAt),
    payment: p
      ? {
        provider: p.provider,
        status: p.status,
        amountCents: p.amountCents,
        currency: p.currency,
        providerRef: p.providerRef,
        processedAt: iso(p.processedAt),
      }
      : null,
  };
}

export function orderJson(o: DomainOrder): Json<typeof S.Order> {
  return {
    ...orderHead(o),
    items: o.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.productName,
      variantLabel: i.variantLabel,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      taxCents: i.taxCents,
    })),
  };
}

export function adminOrderJson(o: DomainOrder): Json<typeof S.AdminOrder> {
  return { ...orderJson(o), userId: o.userId };
}

export function orderDetailJson(o: DomainOrderDetail): Json<typeof S.OrderDetail> {
  return {
    ...orderHead(o),
    items: o.items.map((i) => ({
      sku: i.sku,
      productSku: i.productSku,
      productName: i.productName,
      variantLabel: i.variantLabel,
      qty: i.qty,
      unitPriceCents: i.unitPriceCents,
      lineTotalCents: i.lineTotalCents,
      taxCents: i.taxCents,
      product: { name: i.product.name, slug: i.product.slug, image: i.product.image },
    })),
  };
}

export function paymentJson(p: DomainPayment): Json<typeof S.Payment> {
  return {
    id: p.id,
    orderId: p.orderId,
    status: p.status,
    amountCents: p.amountCents,
    provider: p.provider,
    providerRef: p.providerRef,
    processedAt: iso(p.processedAt),
  };
}
