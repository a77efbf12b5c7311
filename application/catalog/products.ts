import type { Product, ProductQuery } from "../../domain/catalog/product.ts";
import { isPublished, type PublicationStatus } from "../../domain/catalog/publication.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { toProductView } from "../../domain/catalog/product_view.ts";
import { NotFound } from "../../domain/errors.ts";
import { skusOf } from "../../domain/catalog/variant.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { SharedReads } from "../shared_reads.ts";

export const PRODUCT_CACHE_TTL_MS = 15 * 60 * 1000;

export interface ProductReadDeps {
  readonly catalog: Catalog;
  readonly inventory: InventoryStore;
  readonly cache: ProductCache;
  readonly clock: Clock;
  readonly logger: Logger;
}

// Concurrent misses for one key share a single catalog load (no stampede on a cold key).
// Loads are shared per catalog, so two cores in one process never answer with each other's data.
const loadingByCatalog = new WeakMap<Catalog, Map<string, Promise<ProductView | null>>>();

async function cached(deps: ProductReadDeps, key: string): Promise<ProductView | null> {
  try {
    const hit = await deps.cache.get(key);
    if (hit && (hit.sku === key || hit.slug === key)) return hit;
  } catch (error) {
    deps.logger.warn("product cache read failed; reading the catalog", { error: String(error) });
  }
  return null;
}

async function load(deps: ProductReadDeps, key: string): Promise<ProductView | null> {
  const product = (await deps.catalog.get(key)) ?? (await deps.catalog.getBySlug(key)) ??
    (await deps.catalog.getByVariantSku(key));
  if (!product) return null;
  const [view] = await viewsOf(deps, [product]);
  try {
    await deps.cache.set(view, PRODUCT_CACHE_TTL_MS);
  } catch (error) {
    deps.logger.warn("product cache write failed", { error: String(error) });
  }
  return view;
}

/**
 * Cache first, then the catalog and inventory. `key` is a SKU or a slug. Drafts and
 * scheduled products are `NotFound` unless `includeUnpublished` (admins). The cache holds
 * the view whatever its publication, with its `publishedAt`; visibility is decided here, at
 * read time against the clock, so a cached scheduled product goes live at its time.
 */
export async function getProduct(
  deps: ProductReadDeps,
  key: string,
  options: { readonly includeUnpublished?: boolean } = {},
): Promise<ProductView> {
  const view = await readProduct(deps, key);
  if (!options.includeUnpublished && !isPublished(view.publishedAt, deps.clock.now())) {
    throw new NotFound("product", key);
  }
  return view;
}

async function readProduct(deps: ProductReadDeps, key: string): Promise<ProductView> {
  const hit = await cached(deps, key);
  if (hit) return hit;
  const loading = loadingByCatalog.get(deps.catalog) ?? new Map();
  loadingByCatalog.set(deps.catalog, loading);
  let pending = loading.get(key);
  if (!pending) {
    pending = load(deps, key).finally(() => loading.delete(key));
    loading.set(key, pending);
  }
  const view = await pending;
  if (!view) throw new NotFound("product", key);
  return view;
}

/**
 * The variant a product key names: `GET /products/:key` with a variant SKU answers the
 * product and names the variant. Null for a product SKU, a slug or a retired variant.
 */
export function selectedVariant(view: ProductView, key: string): string | null {
  return view.variants.find((v) => v.sku === key)?.sku ?? null;
}

/** Views of `products`, with one inventory read for every product's and variant's row. */
export async function viewsOf(
  deps: Pick<ProductReadDeps, "inventory">,
  products: readonly Product[],
): Promise<ProductView[]> {
  const items = await deps.inventory.getMany(products.flatMap(skusOf));
  const bySku = new Map(items.map((i) => [i.sku, i]));
  return products.map((p) => toProductView(p, bySku.get(p.sku) ?? null, bySku));
}

// Identical browses share one load (per catalog, as product loads do): under a crowd the
// catalog sees one query per distinct page in flight, or per `reuseMs` when that is set.
const browsesByCatalog = new WeakMap<Catalog, SharedReads<Page<ProductView>>>();

/**
 * Browse: products published at the clock's now only. A browse identical to one in flight
 * joins it, and with `reuseMs` (READ_REUSE_MS) one answered less than that ago is answered
 * again: a page is at most that much older than a fresh one.
 */
export function listProducts(
  deps: Pick<ProductReadDeps, "catalog" | "inventory" | "clock"> & { readonly reuseMs?: number },
  query: Omit<ProductQuery, "publication">,
): Promise<Page<ProductView>> {
  let browses = browsesByCatalog.get(deps.catalog);
  if (!browses) browsesByCatalog.set(deps.catalog, browses = new SharedReads());
  return browses.read(JSON.stringify(query), deps.reuseMs ?? 0, () =>
    listCatalog(deps, {
      ...query,
      publication: { status: "published", at: deps.clock.now() },
    }));
}

/** Admin list: every product, or those in one publication status at the clock's now. */
export function listAdminProducts(
  deps: Pick<ProductReadDeps, "catalog" | "inventory" | "clock">,
  query: Omit<ProductQuery, "publication"> & { readonly status?: PublicationStatus },
): Promise<Page<ProductView>> {
  const { status, ...rest } = query;
  return listCatalog(deps, {
    ...rest,
    ...(status === undefined ? {} : { publication: { status, at: deps.clock.now() } }),
  });
}

async function listCatalog(
  deps: Pick<ProductReadDeps, "catalog" | "inventory">,
  query: ProductQuery,
): Promise<Page<ProductView>> {
  const page = await deps.catalog.list(query);
  return { ...page, items: await viewsOf(deps, page.items) };
}
