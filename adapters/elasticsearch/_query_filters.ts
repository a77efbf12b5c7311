/** Filters and sorts of a product search: none of them scores. */
import type { SearchQuery, SearchSort } from "../../domain/search/search.ts";
import { ATTR_NAME } from "../../domain/catalog/product.ts";

const SORTS: Record<SearchSort, unknown[]> = {
  relevance: [{ _score: { order: "desc" } }, { sku: { order: "asc" } }],
  price_asc: [{ priceCents: { order: "asc" } }, { sku: { order: "asc" } }],
  price_desc: [{ priceCents: { order: "desc" } }, { sku: { order: "asc" } }],
  rating: [
    { rating: { order: "desc" } },
    { ratingCount: { order: "desc" } },
    { sku: { order: "asc" } },
  ],
  newest: [{ publishedAt: { order: "desc", missing: "_last" } }, { sku: { order: "asc" } }],
};

/** Tombstones are documents too; every read leaves them out. */
export const TOMBSTONES = { term: { deleted: true } } as const;

/** The sort of a query: its order, ties by SKU. */
export function sortOf(sort: SearchSort): unknown[] {
  return SORTS[sort];
}

/**
 * `priceCents` is an `integer` field: Elasticsearch refuses a bound beyond 2^31 - 1 (found by
 * schemathesis as a 500). No price is stored above it, so a larger bound means the same.
 */
const MAX_PRICE_CENTS = 2_147_483_647;
const indexable = (cents: number) => Math.min(cents, MAX_PRICE_CENTS);

/** The `filter` clauses of a query, in a fixed order. */
export function filtersOf(query: SearchQuery): unknown[] {
  const filter: unknown[] = [];
  if (query.category !== undefined) filter.push({ term: { categories: query.category } });
  if (query.brand !== undefined) filter.push({ term: { brand: query.brand } });
  if (query.vendor !== undefined) filter.push({ term: { vendor: query.vendor } });
  if (query.minPriceCents !== undefined || query.maxPriceCents !== undefined) {
    filter.push({
      range: {
        priceCents: {
          ...(query.minPriceCents !== undefined ? { gte: indexable(query.minPriceCents) } : {}),
          ...(query.maxPriceCents !== undefined ? { lte: indexable(query.maxPriceCents) } : {}),
        },
      },
    });
  }
  if (query.minRating !== undefined) filter.push({ range: { rating: { gte: query.minRating } } });
  if (query.inStock !== undefined) filter.push({ term: { inStock: query.inStock } });
  for (const { name, value } of query.attrs ?? []) {
    // Names are checked (`ATTR_NAME`) at the edge; values are data in a term query.
    filter.push(
      ATTR_NAME.test(name)
        ? { term: { [`attrs.${name}`]: value } }
        : { bool: { must_not: [{ match_all: {} }] } },
    );
  }
  // Drafts hold a null publishedAt, which no range matches.
  if (query.publishedBy !== undefined) {
    filter.push({ range: { publishedAt: { lte: query.publishedBy.toISOString() } } });
  }
  return filter;
}
