import { skusOf } from "../../domain/catalog/variant.ts";
import { ReindexInProgress } from "../../domain/errors.ts";
import type { Product } from "../../domain/catalog/product.ts";
import type { SearchDocument } from "../../domain/search/search.ts";
import { toSearchDocument } from "../../domain/search/search.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import { facetableByCategory } from "../../domain/catalog/category.ts";
import type { SyncStateStore } from "../../ports/search/change_feed.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { JobLog, JobRecord, Leases } from "../../ports/leases.ts";
import type { Logger } from "../../ports/logger.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import { type OrderSyncDeps, rebuildOrderIndex } from "../support/order_sync.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import { rebuildVendorIndex } from "../vendors/vendor_sync.ts";

export interface ReindexDeps extends OrderSyncDeps {
  readonly catalog: Catalog;
  /** The tree, read once per rebuild: which attributes each category counts in facets. */
  readonly categories: Categories;
  readonly inventory: InventoryStore;
  readonly index: SearchIndex;
  /** With both, a rebuild also rebuilds the vendor index from the vendor profiles. */
  readonly vendors?: Vendors;
  readonly vendorIndex?: VendorIndex;
}

const CHUNK = 500;

/** Catalog documents joined with inventory, read in chunks so memory stays flat. */
export async function* searchDocuments(deps: ReindexDeps): AsyncIterable<SearchDocument> {
  const facetable = facetableByCategory(await deps.categories.all());
  let chunk: Product[] = [];
  const flush = async function* () {
    const items = new Map(
      (await deps.inventory.getMany(chunk.flatMap(skusOf))).map((i) => [i.sku, i]),
    );
    for (const product of chunk) {
      const facets = facetable.get(product.category) ?? [];
      yield toSearchDocument(product, items.get(product.sku) ?? null, items, facets);
    }
    chunk = [];
  };
  for await (const product of deps.catalog.all()) {
    chunk.push(product);
    if (chunk.length >= CHUNK) yield* flush();
  }
  yield* flush();
}

/**
 * Rebuilds every derived index from the sources of truth, each swapped in atomically: the
 * product index (catalog and inventory), the vendor index, then the support team's order index
 * (PostgreSQL). `indexed` counts the products and the orders.
 */
export async function reindexAll(
  deps: ReindexDeps,
  onProgress?: (indexed: number) => void,
): Promise<{ indexed: number }> {
  const products = await deps.index.rebuild(searchDocuments(deps), onProgress);
  if (deps.vendors && deps.vendorIndex) {
    await rebuildVendorIndex({ vendors: deps.vendors, vendorIndex: deps.vendorIndex });
  }
  const orders = await rebuildOrderIndex(
    deps,
    onProgress && ((indexed) => onProgress(products.indexed + indexed)),
  );
  return { indexed: products.indexed + orders.indexed };
}

export interface ReindexJob {
  readonly id: string;
  readonly status: "running" | "succeeded" | "failed";
  readonly indexed: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

/** The lease and the job log's name for the search rebuild. */
export const REINDEX_JOB = "search-reindex";

export interface ReindexLeaseOptions {
  /** A holder that stops renewing loses the lease this long after its last renewal. */
  readonly ttlMs: number;
  /** How often a running rebuild renews its lease and records its progress. */
  readonly renewEveryMs: number;
}

export const DEFAULT_REINDEX_LEASE: ReindexLeaseOptions = { ttlMs: 30_000, renewEveryMs: 5_000 };

export interface ReindexJobDeps extends ReindexDeps {
  /** A finished rebuild resolves every event parked before it began. */
  readonly syncState?: Pick<SyncStateStore, "resolve">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly leases: Leases;
  readonly jobs: JobLog;
  readonly lease?: ReindexLeaseOptions;
}

const ABANDONED = "abandoned: the process running it stopped before it finished (lease expired)";

function toJob(record: JobRecord): ReindexJob {
  return {
    id: record.id,
    status: record.status,
    indexed: record.progress,
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
    error: record.error,
  };
}

/**
 * The latest rebuild as every process sees it. A job still marked running whose lease is gone
 * (its process died) reads as failed, so it never blocks the next one.
 */
export async function latestReindex(
  deps: Pick<ReindexJobDeps, "leases" | "jobs">,
): Promise<ReindexJob | null> {
  const record = await deps.jobs.latest(REINDEX_JOB);
  if (!record) return null;
  if (record.status === "running") {
    const lease = await deps.leases.current(REINDEX_JOB);
    if (lease?.holder !== record.id) {
      return { ...toJob(record), status: "failed", error: ABANDONED };
    }
  }
  return toJob(record);
}

/**
 * Starts a rebuild under the cluster-wide lease, or throws `ReindexInProgress` when one runs
 * anywhere. Returns the job at once and `done`, which settles with its end (never rejects).
 * While it runs it renews the lease and records its progress; a holder that lost its lease
 * (it stalled past the TTL and another rebuild took over) does not overwrite the newer record.
 */
export async function beginReindex(
  deps: ReindexJobDeps,
  onProgress?: (indexed: number) => void,
  /** Runs after a successful rebuild while the lease is still held (a resync's checkpoint). */
  onSucceeded?: () => Promise<void>,
): Promise<{ job: ReindexJob; done: Promise<ReindexJob> }> {
  const lease = deps.lease ?? DEFAULT_REINDEX_LEASE;
  const id = deps.ids.id();
  if (!(await deps.leases.acquire(REINDEX_JOB, id, lease.ttlMs))) {
    const running = await latestReindex(deps);
    const holder = (await deps.leases.current(REINDEX_JOB))?.holder;
    throw new ReindexInProgress(holder ?? running?.id ?? "unknown");
  }
  let record: JobRecord = {
    name: REINDEX_JOB,
    id,
    status: "running",
    progress: 0,
    startedAt: deps.clock.now(),
    finishedAt: null,
    error: null,
  };
  try {
    await deps.jobs.save(record);
  } catch (error) {
    await deps.leases.release(REINDEX_JOB, id).catch(() => {});
    throw error;
  }
  const stillHeld = () => deps.leases.renew(REINDEX_JOB, id, lease.ttlMs);
  const renewal = setInterval(() => {
    stillHeld()
      .then((held) => {
        if (!held) deps.logger.warn("reindex lost its lease", { id });
        else return deps.jobs.save(record);
      })
      .catch((error) => deps.logger.warn("reindex lease renewal failed", { error: String(error) }));
  }, lease.renewEveryMs);

  const done = (async (): Promise<ReindexJob> => {
    try {
      const { indexed } = await reindexAll(deps, (indexed) => {
        record = { ...record, progress: indexed };
        onProgress?.(indexed);
      });
      record = { ...record, status: "succeeded", progress: indexed };
      deps.logger.info("reindex finished", { id, indexed });
    } catch (error) {
      record = { ...record, status: "failed", error: String(error) };
      deps.logger.error("reindex failed", { id, error: String(error) });
    } finally {
      clearInterval(renewal);
    }
    record = { ...record, finishedAt: deps.clock.now() };
    if (record.status === "succeeded") {
      await deps.syncState?.resolve(null, "all", record.startedAt).catch((error) =>
        deps.logger.warn("parked events not resolved after the rebuild", { error: String(error) })
      );
      await onSucceeded?.().catch((error) => {
        record = { ...record, status: "failed", error: `after the rebuild: ${error}` };
        deps.logger.error("reindex follow-up failed", { id, error: String(error) });
      });
    }
    try {
      if (await stillHeld()) await deps.jobs.save(record);
      else deps.logger.warn("reindex finished after losing its lease; not recorded", { id });
      await deps.leases.release(REINDEX_JOB, id);
    } catch (error) {
      deps.logger.error("reindex result not recorded", { id, error: String(error) });
    }
    return toJob(record);
  })();
  return { job: toJob(record), done };
}

/** The API's handle on rebuilds: starts them in the background, reads the shared status. */
export class ReindexJobs {
  readonly #running = new Set<Promise<unknown>>();

  constructor(private readonly deps: ReindexJobDeps) {}

  /** Starts a rebuild; throws `ReindexInProgress` while one runs in any process. */
  async start(): Promise<ReindexJob> {
    const { job, done } = await beginReindex(this.deps);
    const tracked = done.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    return job;
  }

  current(): Promise<ReindexJob | null> {
    return latestReindex(this.deps);
  }

  /** Resolves when no rebuild started here is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
