import type { Attrs, Product } from "../catalog/product.ts";
import { ancestorPaths } from "../catalog/category.ts";
import type { AttrEquals, FacetAttrs } from "./variant_search.ts";
import { facetAttrsOf, facetNamesOf, variantPricing } from "./variant_search.ts";
import type { InventoryItem } from "../inventory/stock.ts";
import { available } from "../inventory/stock.ts";

/** What the search index holds for one SKU: derived from the catalog and inventory. */
export interface SearchDocument {
  readonly sku: string;
  readonly name: string;
  readonly slug: string;
  readonly description: string;
  readonly category: string;
  /**
   * Slugs from the root down to `category` (what `category=` filters on: the subtree), and
   * the ancestor-or-self paths (`electronics`, `electronics/audio`, ...: what the category
   * facet counts children on). Absent: `category` alone, a root.
   */
  readonly categories?: readonly string[];
  readonly categoryPaths?: readonly string[];
  readonly brand: string;
  /** The vendor's slug and name (absent: sold by the shop itself). */
  readonly vendor?: string;
  readonly vendorName?: string;
  readonly tags: readonly string[];
  readonly attrs: Attrs;
  /**
   * Filter and facet values per attribute, as text: the product's own attributes and those of
   * every variant on sale (`{size: ["L", "M"], color: ["blue"]}`); see `variant_search.ts`.
   */
  readonly facetAttrs: FacetAttrs;
  /** The attribute names counted in facets: the category's facetable ones (`facetNamesOf`). */
  readonly facetNames: readonly string[];
  /** With variants: the lowest price of a variant on sale (price filter, sort, buckets). */
  readonly priceCents: number;
  readonly currency: string;
  readonly rating: number;
  readonly ratingCount: number;
  readonly inStock: boolean;
  readonly publishedAt: Date | null;
  readonly updatedAt: Date;
  /**
   * Monotonic per SKU: catalog version + inventory version. Both only grow, so a document
   * built from older sources always has a smaller version and never overwrites a newer one.
   */
  readonly version: number;
}

export const SEARCH_SORTS = ["relevance", "price_asc", "price_desc", "rating", "newest"] as const;
export type SearchSort = typeof SEARCH_SORTS[number];

export interface SearchQuery {
  readonly q: string; // may be empty: filters only
  /** The category or anything below it; the category facet then counts its children. */
  readonly category?: string;
  readonly brand?: string;
  /** Products of the vendor with this slug. */
  readonly vendor?: string;
  readonly minPriceCents?: number;
  readonly maxPriceCents?: number;
  /** Average rating at least this (the product's ratings, derived from its reviews). */
  readonly minRating?: number;
  readonly inStock?: boolean;
  /** `attr.<name>=<value>` filters: each must be a value of the product or a live variant. */
  readonly attrs?: readonly AttrEquals[];
  /**
   * Attribute names to count in `facets.attrs`; absent: every facet name of the hits (each
   * document's `facetNames`: what its category declares facetable).
   */
  readonly facetAttrs?: readonly string[];
  /**
   * Only documents published at or before this instant (the clock's now, passed in by the
   * use case; drafts never match). Absent: no publication filter.
   */
  readonly publishedBy?: Date;
  readonly sort: SearchSort;
  readonly page: number;
  readonly size: number;
}

export interface SearchHit {
  readonly sku: string;
  readonly name: string;
  readonly slug: string;
  readonly category: string;
  readonly brand: string;
  readonly priceCents: number;
  readonly rating: number;
  readonly inStock: boolean;
  /** The vendor selling it; null: the shop itself. */
  readonly vendor: { readonly slug: string; readonly name: string } | null;
  /** Field -> fragments with matches wrapped in <em></em>. */
  readonly highlight: Readonly<Record<string, readonly string[]>>;
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface PriceBucketCount {
  readonly key: PriceBucketKey;
  readonly fromCents: number | null;
  readonly toCents: number | null;
  readonly count: number;
}

export interface SearchResult {
  readonly items: readonly SearchHit[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
  readonly facets: {
    /** Per child of the selected category (per root category when none is selected). */
    readonly category: readonly FacetCount[];
    readonly brand: readonly FacetCount[];
    /** Per vendor slug, the hits it sells (products without a vendor are not counted). */
    readonly vendor: readonly FacetCount[];
    readonly price: readonly PriceBucketCount[];
    /** Per attribute name, the hits holding each value (product or live-variant values). */
    readonly attrs: Readonly<Record<string, readonly FacetCount[]>>;
  };
  /** "Did you mean" rewrites of the whole query; empty when nothing better is known. */
  readonly suggestions: readonly string[];
}

export interface AutocompleteSuggestion {
  readonly sku: string;
  readonly name: string;
  readonly slug: string;
}

/** Price facet buckets: from inclusive, to exclusive (under $50, $50-200, $200-500, over $500). */
export const PRICE_BUCKETS = [
  { key: "under_50", fromCents: null, toCents: 5_000 },
  { key: "50_200", fromCents: 5_000, toCents: 20_000 },
  { key: "200_500", fromCents: 20_000, toCents: 50_000 },
  { key: "over_500", fromCents: 50_000, toCents: null },
] as const;
export type PriceBucketKey = typeof PRICE_BUCKETS[number]["key"];

export function priceBucketOf(cents: number): PriceBucketKey {
  return PRICE_BUCKETS.find((b) =>
    (b.fromCents === null || cents >= b.fromCents) && (b.toCents === null || cents < b.toCents)
  )!.key;
}

export function searchVersion(productVersion: number, inventoryVersion: number): number {
  return productVersion + inventoryVersion;
}

/**
 * Builds the search document; price and stock come from inventory, the truth for both. With
 * variants (their rows in `variantItems`), price and stock are theirs: the lowest price of a
 * variant on sale, in stock when any is, and the version adds every row's version.
 * `facetable`: the effective facetable attribute names of the product's category (the
 * caller reads the tree; see `facetableByCategory`).
 */
export function toSearchDocument(
  product: Product,
  item: InventoryItem | null,
  variantItems: ReadonlyMap<string, InventoryItem> = new Map(),
  facetable: readonly string[] = [],
): SearchDocument {
  const own = {
    sku: product.sku,
    name: product.name,
    slug: product.slug,
    description: product.description,
    category: product.category,
    categories: product.breadcrumbs?.map((b) => b.slug) ?? [product.category],
    categoryPaths: ancestorPaths(product.categoryPath ?? product.category),
    brand: product.brand,
    ...(product.vendor ? { vendor: product.vendor.slug, vendorName: product.vendor.name } : {}),
    tags: product.tags,
    attrs: product.attrs,
    priceCents: item?.unitPriceCents ?? product.priceCents,
    currency: item?.currency ?? product.currency,
    rating: product.ratings.avg,
    ratingCount: product.ratings.count,
    inStock: item !== null && item.active && available(item) > 0,
    publishedAt: product.publishedAt,
    updatedAt: product.updatedAt,
    version: searchVersion(product.version, item?.version ?? 0),
  };
  return {
    ...own,
    facetAttrs: facetAttrsOf(product),
    facetNames: facetNamesOf(product, facetable),
    ...variantPricing(product, own, variantItems),
  };
}

/** A document's subtree slugs and ancestor paths, defaulting as a root when it has none. */
export function categoryKeysOf(doc: SearchDocument): {
  categories: readonly string[];
  categoryPaths: readonly string[];
} {
  return {
    categories: doc.categories ?? [doc.category],
    categoryPaths: doc.categoryPaths ?? [doc.category],
  };
}

/**
 * The child of `selected` a document counts under in the category facet (the root when none
 * is selected), or null when it lies in none (it sits on `selected` itself).
 */
export function facetCategoryOf(
  categoryPaths: readonly string[],
  selected: string | undefined,
): string | null {
  for (const path of categoryPaths) {
    const parts = path.split("/");
    if (selected === undefined && parts.length === 1) return parts[0];
    if (selected !== undefined && parts.length >= 2 && parts[parts.length - 2] === selected) {
      return parts[parts.length - 1];
    }
  }
  return null;
}
