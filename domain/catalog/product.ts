import type { Breadcrumb } from "./category.ts";
import type { VendorSummary } from "../vendors/vendor.ts";
import { matchesPublication, type PublicationFilter } from "./publication.ts";

export type AttrValue = string | number | boolean;
export type Attrs = Readonly<Record<string, AttrValue>>;

/**
 * A sellable SKU of a product (see `variant.ts` for the rules). Its price and stock live in
 * inventory under `sku`, like a product's. A retired variant stays in the document (its SKU is
 * never reused, and order history names it) but is no longer sold or shown.
 */
export interface Variant {
  readonly sku: string;
  readonly label: string;
  readonly attrs: Attrs;
  readonly retired: boolean;
}

/** How many published reviews give each number of stars. */
export type RatingDistribution = Record<"1" | "2" | "3" | "4" | "5", number>;

/**
 * Derived from the published reviews (the review sync recomputes them); never set by hand.
 * `distribution` is absent on documents written before reviews existed.
 */
export interface Ratings {
  readonly avg: number; // 0..5
  readonly count: number;
  readonly distribution?: Readonly<RatingDistribution>;
}

/**
 * Catalog content (MongoDB owns it). `priceCents` is a read-only copy of the inventory price
 * kept for browse sorting; the sync pipeline maintains it, PostgreSQL stays the truth.
 */
export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly slug: string;
  readonly category: string;
  readonly brand: string;
  readonly description: string;
  readonly images: readonly string[];
  readonly attrs: Attrs;
  readonly variants: readonly Variant[];
  readonly tags: readonly string[];
  readonly ratings: Ratings;
  readonly priceCents: number;
  readonly currency: string;
  readonly publishedAt: Date | null;
  readonly updatedAt: Date;
  /** Increments on every write; orders derived copies. */
  readonly version: number;
  /**
   * Denormalised from the category tree (the category sync keeps them in step): the crumbs
   * from the root down to `category`, and that category's materialised path. Absent on
   * documents written before the tree existed, until the sync or the next write fills them.
   */
  readonly breadcrumbs?: readonly Breadcrumb[];
  readonly categoryPath?: string;
  /**
   * The category's effective facetable attribute names, a copy kept like the breadcrumbs. Search
   * reads the tree itself; this copy is what makes the category sync rewrite the products whose
   * facets a category change altered, so their documents follow through the product feed.
   */
  readonly categoryFacets?: readonly string[];
  /**
   * The vendor selling it (absent: the shop itself), and a copy of the vendor's id, slug and
   * name that the vendor sync keeps in step with the vendor profile.
   */
  readonly vendorId?: string;
  readonly vendor?: VendorSummary;
}

export type ProductDraft = Omit<Product, "updatedAt" | "version">;
export type ProductPatch = Partial<Omit<Product, "sku" | "updatedAt" | "version">>;

export const ATTR_NAME = /^[A-Za-z0-9_]+$/;
export const ATTR_OPS = ["eq", "gt", "gte", "lt", "lte"] as const;
export type AttrOp = typeof ATTR_OPS[number];

export interface AttrFilter {
  readonly name: string;
  readonly op: AttrOp;
  readonly value: AttrValue;
}

export const PRODUCT_SORTS = ["rating", "price_asc", "price_desc", "newest"] as const;
export type ProductSort = typeof PRODUCT_SORTS[number];

export interface ProductQuery {
  readonly category?: string;
  readonly brand?: string;
  readonly tag?: string;
  readonly minRating?: number;
  /** Products of this vendor (its id). */
  readonly vendorId?: string;
  readonly attrs: readonly AttrFilter[];
  /** Absent: every product (admin lists); browse always passes `published` at now. */
  readonly publication?: PublicationFilter;
  readonly sort: ProductSort;
  readonly page: number;
  readonly size: number;
}

export function slugify(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** Query strings carry text: "32" is the number 32, "true"/"false" are booleans. */
export function parseAttrValue(raw: string): AttrValue {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

export function matchesAttr(attrs: Attrs, filter: AttrFilter): boolean {
  const actual = attrs[filter.name];
  if (actual === undefined) return false;
  if (filter.op === "eq") return actual === filter.value;
  if (typeof actual !== typeof filter.value || typeof actual === "boolean") return false;
  const a = actual as number | string;
  const b = filter.value as number | string;
  switch (filter.op) {
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
  }
}

/** The product's category is `category` or lies below it (its breadcrumbs name it). */
export function inCategory(p: Product, category: string): boolean {
  return p.category === category || (p.breadcrumbs ?? []).some((b) => b.slug === category);
}

/**
 * Variant-aware attribute filter: the product's own attributes match, or those of any variant
 * still sold. Each filter is checked on its own (`size=L` and `color=blue` may be met by two
 * variants), which is what one search document per product can answer too.
 */
export function matchesAttrOrVariant(p: Product, filter: AttrFilter): boolean {
  return matchesAttr(p.attrs, filter) ||
    p.variants.some((v) => !v.retired && matchesAttr(v.attrs, filter));
}

export function matchesQuery(p: Product, q: ProductQuery): boolean {
  return (q.category === undefined || inCategory(p, q.category)) &&
    (q.brand === undefined || p.brand === q.brand) &&
    (q.tag === undefined || p.tags.includes(q.tag)) &&
    (q.minRating === undefined || p.ratings.avg >= q.minRating) &&
    (q.vendorId === undefined || p.vendorId === q.vendorId) &&
    q.attrs.every((f) => matchesAttrOrVariant(p, f)) &&
    (q.publication === undefined || matchesPublication(p.publishedAt, q.publication));
}

/** Total order for browse sorts; ties break on SKU so pages are stable. */
export function compareProducts(sort: ProductSort): (a: Product, b: Product) => number {
  const bySku = (a: Product, b: Product) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);
  const key: Record<ProductSort, (a: Product, b: Product) => number> = {
    rating: (a, b) => b.ratings.avg - a.ratings.avg || b.ratings.count - a.ratings.count,
    price_asc: (a, b) => a.priceCents - b.priceCents,
    price_desc: (a, b) => b.priceCents - a.priceCents,
    newest: (a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0),
  };
  return (a, b) => key[sort](a, b) || bySku(a, b);
}
