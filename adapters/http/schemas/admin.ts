import { z } from "zod";
import { GROUP_BYS } from "../../../domain/analytics/revenue.ts";
import { cents, count, doc, pageOf } from "./_common.ts";
import { orderFields, OrderItem, OrderListQuery } from "./orders.ts";

// ---- Admin: orders, analytics, search ----

export const AdminOrderListQuery = OrderListQuery;

export const AdminOrder = doc(
  z.object({ ...orderFields, userId: z.string(), items: z.array(OrderItem) }),
  { id: "AdminOrder", description: "An order as administrators see it: with its customer." },
);

export const AdminOrderPage = pageOf(AdminOrder, "AdminOrderPage");

export const QueryInstant = doc(
  z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
  { description: "ISO 8601 date (UTC midnight) or date-time." },
).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

export const RevenueQuery = z.object({
  from: QueryInstant.optional().describe("Start, inclusive. Default: 30 days before `to`."),
  to: QueryInstant.optional().describe("End, exclusive. Default: now."),
  groupBy: z.enum(GROUP_BYS).default("day"),
}).refine((q) => !q.from || !q.to || q.from.getTime() < q.to.getTime(), {
  message: "from must be before to",
  path: ["from"],
});

const revenueFigures = {
  currency: z.string().describe("Figures are per currency: two currencies are never added."),
  orders: count().describe("Orders paid in the period and kept."),
  units: count().describe("Units of the kept orders."),
  revenueCents: cents("Total of the kept orders, in cents of `currency`."),
  refundCount: count().describe("Orders paid in the period and refunded since."),
  refundedCents: cents("Total of the refunded orders, in cents of `currency`."),
};

export const Revenue = doc(
  z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(GROUP_BYS),
    buckets: z.array(z.object({
      period: z.string().describe("2026-11-21 (day), Monday of the week, or 2026-11 (month)."),
      ...revenueFigures,
    })).describe("One per period and currency, by period then currency."),
    totals: z.array(z.object(revenueFigures)).describe("One per currency, by currency."),
    topProducts: z.array(z.object({
      sku: z.string(),
      productName: z.string(),
      currency: z.string(),
      units: count(),
      revenueCents: cents("In cents of `currency`."),
    })).describe("Best sellers of the kept orders: units, then revenue."),
  }),
  {
    id: "Revenue",
    description: "Orders paid in [from, to), counted at payment time, per currency; refunded " +
      "orders appear as refunds in the bucket they were paid in.",
  },
);

export const ReindexJob = doc(
  z.object({
    id: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    indexed: count(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  }),
  { id: "ReindexJob" },
);

const feedStatus = {
  lagMs: count().describe("Age of the oldest change not yet applied."),
  lastEventAt: z.string().nullable(),
  checkpoint: z.string().nullable(),
  pending: count(),
};

export const SyncStatus = doc(
  z.object({
    ...feedStatus,
    feeds: z.array(z.object({
      feed: z.string(),
      ...feedStatus,
      resyncs: count().describe(
        "Times the feed's resume point had left its history (MongoDB oplog) and the index was " +
          "rebuilt from the sources.",
      ),
      lastResyncAt: z.string().nullable(),
      lastResyncReason: z.string().nullable(),
    })),
    parked: z.array(z.object({
      feed: z.string(),
      sku: z.string(),
      error: z.string(),
      parkedAt: z.string(),
    })),
  }),
  { id: "SyncStatus" },
);

export const Duties = doc(
  z.object({
    duties: z.array(z.object({
      name: z.string().describe(
        "expiry-sweeper, pruning, sync:<feed> (one per change feed) or search-reindex.",
      ),
      holder: z.string().nullable().describe(
        "The instance running it (host:pid:nonce; a rebuild's job id), null when none does.",
      ),
      host: z.string().nullable(),
      pid: z.int().nullable(),
      expiresAt: z.string().nullable().describe(
        "When the lease lapses unless renewed: a dead holder's duty moves on after this.",
      ),
    })),
  }),
  {
    id: "Duties",
    description: "Each background duty runs in one API or worker instance at a time, under a " +
      "lease in PostgreSQL; another instance takes it over within seconds of its holder dying.",
  },
);
