/**
 * The consumer of category changes: when a category is written, its subtree's materialised
 * paths and the denormalised `breadcrumbs`/`categoryPath`/`categoryFacets` of every product below it are
 * brought in step with the tree. Each product write is an ordinary catalog write, so search
 * and the product cache follow through the product feed; the cache entry is also dropped at
 * once, so no read serves the old path after the sync.
 *
 * Idempotent and ordered by re-reading: it always writes what the current tree says (an old
 * event applied late changes nothing), writes only what differs, and re-reads the tree when
 * done; if the tree moved on meanwhile (another writer, another worker applying an older
 * view), it goes round again, so the last pass always reflects the newest tree.
 */
import {
  type Category,
  computedPath,
  descendantsOf,
  lineage,
} from "../../domain/catalog/category.ts";
import type { Product } from "../../domain/catalog/product.ts";
import { VersionConflict } from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { placementOf } from "./categorize.ts";

export interface CategorySyncDeps {
  readonly categories: Categories;
  readonly catalog: Catalog;
  readonly cache: ProductCache;
  readonly clock: Clock;
  readonly logger: Logger;
}

const MAX_ROUNDS = 5;
const PAGE = 200;

export interface CategorySyncOutcome {
  readonly paths: number;
  readonly products: number;
}

/** Applies one category change (by slug). Throws when the tree will not hold still. */
export async function applyCategoryChange(
  deps: CategorySyncDeps,
  slug: string,
): Promise<CategorySyncOutcome> {
  let paths = 0;
  let products = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const all = await deps.categories.all();
    const bySlug = new Map(all.map((c) => [c.slug, c]));
    const target = bySlug.get(slug);
    // Deleted: a category with products or children cannot be deleted, so nothing names it.
    if (!target) return { paths, products };
    try {
      paths += await fixPaths(deps, [target, ...descendantsOf(slug, all)], bySlug);
      products += await fixProducts(deps, [target, ...descendantsOf(slug, all)], bySlug);
    } catch (error) {
      if (error instanceof VersionConflict) continue; // written meanwhile: read again
      throw error;
    }
    if (fingerprint(await deps.categories.all()) === fingerprint(all)) return { paths, products };
  }
  throw new Error(`category ${slug} kept changing while its products were updated`);
}

function fingerprint(all: readonly Category[]): string {
  return all.map((c) => `${c.slug}@${c.version}`).join(",");
}

/** Stored path copies that differ from the parents' truth, parents first. */
async function fixPaths(
  deps: CategorySyncDeps,
  subtree: readonly Category[],
  bySlug: ReadonlyMap<string, Category>,
): Promise<number> {
  let fixed = 0;
  for (const category of subtree) {
    const path = computedPath(category.slug, bySlug);
    if (category.path === path) continue;
    await deps.categories.replace({ ...category, path, updatedAt: deps.clock.now() });
    fixed++;
  }
  return fixed;
}

/**
 * Every product in the subtree whose breadcrumbs, path or facetable attribute names differ
 * from the tree's (a changed `facet` flag rewrites the product, and its search document
 * follows through the product feed with a newer version: no dual write).
 */
async function fixProducts(
  deps: CategorySyncDeps,
  subtree: readonly Category[],
  bySlug: ReadonlyMap<string, Category>,
): Promise<number> {
  const skus = new Set<string>();
  // By each category of the subtree: products written before the tree carry no breadcrumbs
  // and are found by their own category only.
  for (const category of subtree) {
    for (let page = 1;; page++) {
      const found = await deps.catalog.list({
        category: category.slug,
        attrs: [],
        sort: "newest",
        page,
        size: PAGE,
      });
      for (const p of found.items) skus.add(p.sku);
      if (page * PAGE >= found.total) break;
    }
  }
  let fixed = 0;
  for (const sku of [...skus].sort()) {
    if (await fixProduct(deps, sku, bySlug)) fixed++;
  }
  return fixed;
}

async function fixProduct(
  deps: CategorySyncDeps,
  sku: string,
  bySlug: ReadonlyMap<string, Category>,
): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const product = await deps.catalog.get(sku);
    if (!product || !bySlug.has(product.category)) return false;
    const placement = placementOf(lineage(product.category, bySlug));
    if (samePlacement(product, placement)) return false;
    try {
      await deps.catalog.replace({ ...product, ...placement, updatedAt: deps.clock.now() });
    } catch (error) {
      if (error instanceof VersionConflict) continue; // an admin edit won: read it again
      throw error;
    }
    try {
      await deps.cache.invalidate(sku);
    } catch (error) {
      // The product's own change event invalidates it again.
      deps.logger.warn("product cache invalidation failed during category sync", {
        sku,
        error: String(error),
      });
    }
    return true;
  }
  throw new VersionConflict("product", sku, -1);
}

function samePlacement(
  product: Product,
  placement: ReturnType<typeof placementOf>,
): boolean {
  const crumbs = product.breadcrumbs ?? [];
  const facets = product.categoryFacets ?? [];
  return product.categoryPath === placement.categoryPath &&
    facets.length === placement.categoryFacets.length &&
    facets.every((name, i) => name === placement.categoryFacets[i]) &&
    crumbs.length === placement.breadcrumbs.length &&
    crumbs.every((b, i) =>
      b.slug === placement.breadcrumbs[i].slug && b.name === placement.breadcrumbs[i].name
    );
}

/** Every root, after the category feed lost its history: the whole tree is reconciled. */
export async function reconcileCategories(deps: CategorySyncDeps): Promise<CategorySyncOutcome> {
  const roots = (await deps.categories.all()).filter((c) => c.parent === null);
  let paths = 0;
  let products = 0;
  for (const root of roots) {
    const outcome = await applyCategoryChange(deps, root.slug);
    paths += outcome.paths;
    products += outcome.products;
  }
  return { paths, products };
}
