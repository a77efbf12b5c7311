/**
 * The in-memory search index's answer: a page of hits with highlights, the facets (category
 * children, brand, vendor, price buckets, attributes) and the suggestions.
 */
import { attrFacetCounts } from "../../domain/search/variant_search.ts";
import type {
  FacetCount,
  PriceBucketCount,
  SearchHit,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import {
  categoryKeysOf,
  facetCategoryOf,
  PRICE_BUCKETS,
  priceBucketOf,
} from "../../domain/search/search.ts";
import type { Generation } from "./search_generation.ts";
import { type Expansion, type Scored, suggest } from "./search_scoring.ts";
import { tokenize, WORD } from "./search_text.ts";

/** Fields that get highlight fragments. */
const HIGHLIGHTED = ["name", "description"] as const;

/** Like the default highlighter: up to 5 fragments of about 100 characters. */
const FRAGMENT_SIZE = 100;
const MAX_FRAGMENTS = 5;

/** Wraps every word of `text` that is in `matched` in `<em></em>`. */
function emphasize(text: string, matched: ReadonlySet<string>): string {
  return text.replace(WORD, (word) => matched.has(word.toLowerCase()) ? `<em>${word}</em>` : word);
}

/** Fragments of about FRAGMENT_SIZE characters around the matches, in text order. */
function fragments(text: string, matched: ReadonlySet<string>): string[] {
  const hits = [...text.matchAll(WORD)].filter((m) => matched.has(m[0].toLowerCase()));
  if (hits.length === 0) return [];
  if (text.length <= FRAGMENT_SIZE) return [emphasize(text, matched)];
  const out: string[] = [];
  let coveredTo = 0;
  for (const hit of hits) {
    if (out.length === MAX_FRAGMENTS) break;
    const at = hit.index ?? 0;
    if (at < coveredTo) continue;
    let start = Math.max(coveredTo, at - Math.floor(FRAGMENT_SIZE / 4));
    while (start > coveredTo && /[\p{L}\p{N}]/u.test(text[start - 1])) start -= 1;
    let end = Math.min(text.length, start + FRAGMENT_SIZE);
    end = Math.max(end, at + hit[0].length);
    while (end < text.length && /[\p{L}\p{N}]/u.test(text[end])) end += 1;
    out.push(emphasize(text.slice(start, end).trim(), matched));
    coveredTo = end;
  }
  return out;
}

function facetCounts(values: readonly string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

export function resultOf(
  query: SearchQuery,
  gen: Generation,
  expansions: readonly Expansion[],
  scored: readonly Scored[],
): SearchResult {
  const matched = new Set(expansions.flatMap((e) => [...e.words.keys()]));
  const start = (query.page - 1) * query.size;
  const items = scored.slice(start, start + query.size).map(({ doc }): SearchHit => {
    const highlight: Record<string, string[]> = {};
    for (const field of HIGHLIGHTED) {
      const found = field === "name"
        ? (tokenize(doc.name).some((w) => matched.has(w)) ? [emphasize(doc.name, matched)] : [])
        : fragments(doc.description, matched);
      if (found.length > 0) highlight[field] = found;
    }
    return {
      sku: doc.sku,
      name: doc.name,
      slug: doc.slug,
      category: doc.category,
      brand: doc.brand,
      priceCents: doc.priceCents,
      rating: doc.rating,
      inStock: doc.inStock,
      vendor: doc.vendor === undefined
        ? null
        : { slug: doc.vendor, name: doc.vendorName ?? doc.vendor },
      highlight,
    };
  });

  const price: PriceBucketCount[] = PRICE_BUCKETS.map((bucket) => ({
    key: bucket.key,
    fromCents: bucket.fromCents,
    toCents: bucket.toCents,
    count: scored.filter(({ doc }) => priceBucketOf(doc.priceCents) === bucket.key).length,
  }));

  return {
    items,
    page: query.page,
    size: query.size,
    total: scored.length,
    facets: {
      category: facetCounts(
        scored.flatMap(({ doc }) => {
          const child = facetCategoryOf(categoryKeysOf(doc).categoryPaths, query.category);
          return child === null ? [] : [child];
        }),
      ),
      brand: facetCounts(scored.map(({ doc }) => doc.brand)),
      vendor: facetCounts(
        scored.flatMap(({ doc }) => doc.vendor === undefined ? [] : [doc.vendor]),
      ),
      price,
      attrs: attrFacetCounts(scored.map(({ doc }) => doc), query.facetAttrs),
    },
    suggestions: suggest(tokenize(query.q), gen),
  };
}
