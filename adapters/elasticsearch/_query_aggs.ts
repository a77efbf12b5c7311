/** The facets of a product search: term, attribute-pair and price-range aggregations. */
import type { SearchQuery } from "../../domain/search/search.ts";
import { PRICE_BUCKETS } from "../../domain/search/search.ts";
import { ATTR_NAME } from "../../domain/catalog/product.ts";
import { FACET_PAIRS } from "./_mapping.ts";

/** Most `name=value` pairs the attribute facet counts. */
const ATTR_FACET_PAIRS = 500;

/** The `aggs` of a query: up to `facetSize` buckets per term facet, counts then keys. */
export function facetAggs(query: SearchQuery, facetSize: number) {
  const terms_facet = (field: string) => ({
    terms: { field, size: facetSize, order: [{ _count: "desc" }, { _key: "asc" }] },
  });
  return {
    category: {
      terms: {
        ...terms_facet("categoryPaths").terms,
        include: childPathPattern(query.category),
      },
    },
    brand: terms_facet("brand"),
    vendor: terms_facet("vendor"),
    attrs: {
      terms: {
        field: `attrs.${FACET_PAIRS}`,
        size: ATTR_FACET_PAIRS,
        order: [{ _count: "desc" }, { _key: "asc" }],
        ...(query.facetAttrs === undefined ? {} : { include: facetInclude(query.facetAttrs) }),
      },
    },
    price: {
      range: {
        field: "priceCents",
        ranges: PRICE_BUCKETS.map((b) => ({
          key: b.key,
          ...(b.fromCents !== null ? { from: b.fromCents } : {}),
          ...(b.toCents !== null ? { to: b.toCents } : {}),
        })),
      },
    },
  };
}

/** Lucene regular expression syntax: every character but letters and digits escaped. */
function regexLiteral(text: string): string {
  return [...text].map((ch) => (/[A-Za-z0-9]/.test(ch) ? ch : `\\${ch}`)).join("");
}

/**
 * Which `categoryPaths` the category facet counts: paths one level below the selected
 * category (whose slug is unique, so `(.+/)?<slug>/<child>`), or the roots.
 */
export function childPathPattern(selected: string | undefined): string {
  return selected === undefined ? "[^/]+" : `(.+/)?${regexLiteral(selected)}/[^/]+`;
}

/** A terms `include` regex for the pairs of `names` (checked names only; none: nothing). */
function facetInclude(names: readonly string[]): string {
  const checked = names.filter((n) => ATTR_NAME.test(n));
  return checked.length === 0 ? "@none" : `(${checked.join("|")})=.*`;
}
