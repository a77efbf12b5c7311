/** Operator answers to JSON, field by field (see _views.ts): revenue, reindex jobs, duties, sync. */
import type {
  RevenueFigures,
  RevenueQuery,
  RevenueReport,
} from "../../domain/analytics/revenue.ts";
import type { ReindexJob as DomainReindexJob } from "../../application/search/reindex.ts";
import { type DutyHolder, parseHolder } from "../../application/duties.ts";
import type { SyncStatus as DomainSyncStatus } from "../../application/search/sync_catalog.ts";
import type { Json } from "./_view_helpers.ts";
import type * as S from "./schemas.ts";

function figuresJson(f: RevenueFigures) {
  return {
    currency: f.currency,
    orders: f.orders,
    units: f.units,
    revenueCents: f.revenueCents,
    refundCount: f.refundCount,
    refundedCents: f.refundedCents,
  };
}

export function revenueJson(query: RevenueQuery, r: RevenueReport): Json<typeof S.Revenue> {
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy,
    buckets: r.buckets.map((b) => ({ period: b.period, ...figuresJson(b) })),
    totals: r.totals.map(figuresJson),
    topProducts: r.topProducts.map((t) => ({
      sku: t.sku,
      productName: t.productName,
      currency: t.currency,
      units: t.units,
      revenueCents: t.revenueCents,
    })),
  };
}

export function reindexJobJson(job: DomainReindexJob): Json<typeof S.ReindexJob> {
  return {
    id: job.id,
    status: job.status,
    indexed: job.indexed,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    error: job.error,
  };
}

export function dutiesJson(duties: readonly DutyHolder[]): Json<typeof S.Duties> {
  return {
    duties: duties.map((d) => {
      const parts = d.holder === null ? null : parseHolder(d.holder);
      return {
        name: d.name,
        holder: d.holder,
        host: parts?.host ?? null,
        pid: parts?.pid ?? null,
        expiresAt: d.expiresAt?.toISOString() ?? null,
      };
    }),
  };
}

export function syncStatusJson(s: DomainSyncStatus): Json<typeof S.SyncStatus> {
  const feed = (f: DomainSyncStatus["feeds"][number]) => ({
    feed: f.feed,
    lagMs: f.lagMs,
    lastEventAt: f.lastEventAt,
    checkpoint: f.checkpoint,
    pending: f.pending,
    resyncs: f.resyncs,
    lastResyncAt: f.lastResyncAt,
    lastResyncReason: f.lastResyncReason,
  });
  return {
    lagMs: s.lagMs,
    lastEventAt: s.lastEventAt,
    checkpoint: s.checkpoint,
    pending: s.pending,
    feeds: s.feeds.map(feed),
    parked: s.parked.map((p) => ({
      feed: p.feed,
      sku: p.sku,
      error: p.error,
      parkedAt: p.parkedAt,
    })),
  };
}
