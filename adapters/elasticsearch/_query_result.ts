/** Reading a `searchBody` response (hits, facet counts) and a `suggestBody` one. */
import { z } from "zod";
import type {
  FacetCount,
  PriceBucketCount,
  SearchHit,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import { PRICE_BUCKETS } from "../../domain/search/search.ts";

const HitSource = z.object({
  sku: z.string(),
  name: z.string(),
  slug: z.string(),
  category: z.string(),
  brand: z.string(),
  priceCents: z.number().int(),
  rating: z.number(),
  inStock: z.boolean(),
  vendor: z.string().optional(),
  vendorName: z.string().optional(),
});

const Bucket = z.object({ key: z.string(), doc_count: z.number() });

const SearchResponse = z.object({
  hits: z.object({
    total: z.object({ value: z.number() }),
    hits: z.array(z.object({
      _source: HitSource,
      highlight: z.record(z.string(), z.array(z.string())).optional(),
    })),
  }),
  aggregations: z.object({
    category: z.object({ buckets: z.array(Bucket) }),
    brand: z.object({ buckets: z.array(Bucket) }),
    vendor: z.object({ buckets: z.array(Bucket) }).optional(),
    attrs: z.object({ buckets: z.array(Bucket) }).optional(),
    price: z.object({ buckets: z.array(Bucket) }),
  }),
});

const SuggestResponse = z.object({
  suggest: z.object({
    did_you_mean: z.array(z.object({
      text: z.string(),
      options: z.array(z.object({ text: z.string(), freq: z.number() })),
    })),
  }).optional(),
});

/** A hit's fields, the vendor's slug and name folded into `vendor` (null: none). */
function hitFields(source: z.infer<typeof HitSource>): Omit<SearchHit, "highlight"> {
  const { vendor, vendorName, ...rest } = source;
  return {
    ...rest,
    vendor: vendor === undefined ? null : { slug: vendor, name: vendorName ?? vendor },
  };
}

/** Maps the `_search` response of `searchBody`; validates what it reads. */
export function toSearchResult(query: SearchQuery, raw: unknown): SearchResult {
  const response = SearchResponse.parse(raw);
  const items = response.hits.hits.map(({ _source, highlight }): SearchHit => ({
    ...hitFields(_source),
    highlight: Object.fromEntries(
      Object.entries(highlight ?? {}).filter(([field]) =>
        field === "name" || field === "description"
      ),
    ),
  }));
  const facet = (buckets: z.infer<typeof Bucket>[]): FacetCount[] =>
    buckets.map((b) => ({ value: b.key, count: b.doc_count }));
  const priceCounts = new Map(response.aggregations.price.buckets.map((b) => [b.key, b.doc_count]));
  const price: PriceBucketCount[] = PRICE_BUCKETS.map((b) => ({
    key: b.key,
    fromCents: b.fromCents,
    toCents: b.toCents,
    count: priceCounts.get(b.key) ?? 0,
  }));
  return {
    items,
    page: query.page,
    size: query.size,
    total: response.hits.total.value,
    facets: {
      // Buckets are child paths: the facet names the child by its slug.
      category: facet(response.aggregations.category.buckets)
        .map((f) => ({ ...f, value: f.value.slice(f.value.lastIndexOf("/") + 1) })),
      brand: facet(response.aggregations.brand.buckets),
      vendor: facet(response.aggregations.vendor?.buckets ?? []),
      price,
      attrs: attrFacets(response.aggregations.attrs?.buckets ?? []),
    },
    // The index adds them when the words as typed find nothing (`suggestBody`).
    suggestions: [],
  };
}

/** `name=value` buckets grouped per name, counts descending then values ascending. */
function attrFacets(buckets: readonly z.infer<typeof Bucket>[]): Record<string, FacetCount[]> {
  const byName: Record<string, FacetCount[]> = {};
  for (const b of buckets) {
    const at = b.key.indexOf("=");
    if (at <= 0) continue;
    (byName[b.key.slice(0, at)] ??= []).push({ value: b.key.slice(at + 1), count: b.doc_count });
  }
  return Object.fromEntries(
    Object.entries(byName).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** The suggester's raw entries of a `suggestBody` response (empty when it had none). */
export function suggestEntries(raw: unknown) {
  return SuggestResponse.parse(raw).suggest?.did_you_mean ?? [];
}
