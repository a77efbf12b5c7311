/** Support search answers to JSON, field by field (see _views.ts). */
import type { z } from "zod";
import type {
  OrderDocument,
  OrderRecord,
  OrderSearchResult,
} from "../../domain/support/order_document.ts";
import { adminOrderJson } from "./_views.ts";
import type * as S from "./schemas.ts";

type Json<T extends z.ZodType> = z.output<T>;

export function supportHitJson(d: OrderDocument): Json<typeof S.SupportOrderHit> {
  return {
    id: d.id,
    status: d.status,
    customer: { id: d.customer.id, email: d.customer.email, displayName: d.customer.displayName },
    skus: [...d.skus],
    productNames: [...d.productNames],
    currency: d.currency,
    totals: { ...d.totals },
    payments: d.payments.map((p) => ({
      provider: p.provider,
      providerRef: p.providerRef,
      status: p.status,
      amountCents: p.amountCents,
      processedAt: p.processedAt.toISOString(),
    })),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    paidAt: d.paidAt?.toISOString() ?? null,
  };
}

export function supportPageJson(r: OrderSearchResult): Json<typeof S.SupportOrderPage> {
  return { items: r.items.map(supportHitJson), page: r.page, size: r.size, total: r.total };
}

export function supportOrderJson(r: OrderRecord): Json<typeof S.SupportOrder> {
  return {
    ...adminOrderJson(r.order),
    customer: r.customer
      ? { id: r.customer.id, email: r.customer.email, displayName: r.customer.displayName }
      : null,
    payments: r.payments.map((p) => ({
      id: p.id,
      orderId: p.orderId,
      status: p.status,
      amountCents: p.amountCents,
      currency: p.currency,
      provider: p.provider,
      providerRef: p.providerRef,
      failureReason: p.failureReason,
      processedAt: p.processedAt.toISOString(),
    })),
  };
}
