import { z } from "zod";
import type {
  AutocompleteSuggestion,
  FacetCount,
  PriceBucketCount,
  SearchHit,
  SearchQuery,
  SearchResult,
  SearchSort,
} from "../../domain/search/search.ts";
import { PRICE_BUCKETS } from "../../domain/search/search.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import { ATTR_NAME } from "../../domain/catalog/product.ts";
import { FACET_PAIRS } from "./_mapping.ts";

/** Most `name=value` pairs the attribute facet counts. */
const ATTR_FACET_PAIRS = 500;

/** Searched fields and weights: the name weighs most. */
export const SEARCH_FIELDS = [
  "name^3",
  "brand.text^2",
  "category.text^1.5",
  "tags.text^1.5",
  "description",
] as const;

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits, each once, in order. */
export function queryTerms(q: string): string[] {
  return [...new Set(q.toLowerCase().match(WORD) ?? [])];
}

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

/**
 * Indexed words standing in for a misspelt query term, each with its weight (1 - edits /
 * length of the shorter word, as Lucene weighs a fuzzy expansion).
 */
export type Corrections = ReadonlyMap<string, readonly { word: string; boost: number }[]>;

/** Leading characters a correction shares with the term (Lucene's fuzzy `prefix_length`). */
export const FUZZY_PREFIX_LENGTH = 1;
/** Most corrections per term, like a fuzzy query's `max_expansions`. */
export const MAX_CORRECTIONS = 50;

/**
 * The `_search` body for a query. Every term must match some field (one `multi_match` per
 * term, best field plus 0.3 of the others), filters do not score, facets are aggregations
 * over the same hits. Typo tolerance costs nothing until it is needed: the first body
 * (no `corrections`) matches the words as typed and carries a `missing`-mode term suggester
 * over `all_text`, which only works on words the index does not know; when that finds
 * nothing, the second body replaces each unknown term by its corrections within AUTO
 * fuzziness (`correctionsOf`). Fuzzy queries on five fields, a fuzzy highlight query and a
 * suggester with no prefix cost 36 ms of `took` a query on the bench index; exact ones ~6 ms.
 * Only values from the typed query reach the body; field names are all constants.
 */
export function searchBody(query: SearchQuery, facetSize: number, corrections?: Corrections) {
  const terms = queryTerms(query.q);
  const filter: unknown[] = [];
  if (query.category !== undefined) filter.push({ term: { categories: query.category } });
  if (query.brand !== undefined) filter.push({ term: { brand: query.brand } });
  if (query.vendor !== undefined) filter.push({ term: { vendor: query.vendor } });
  if (query.minPriceCents !== undefined || query.maxPriceCents !== undefined) {
    filter.push({
      range: {
        priceCents: {
          ...(query.minPriceCents !== undefined ? { gte: query.minPriceCents } : {}),
          ...(query.maxPriceCents !== undefined ? { lte: query.maxPriceCents } : {}),
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
  const clause = (query: string, boost?: number) => ({
    multi_match: {
      query,
      fields: [...SEARCH_FIELDS],
      type: "best_fields",
      tie_breaker: 0.3,
      ...(boost === undefined ? {} : { boost }),
    },
  });
  const must = terms.map((term) => {
    const words = corrections?.get(term);
    if (words === undefined) return clause(term);
    // The best correction a document matches counts, as the best expansion of a fuzzy term.
    return { dis_max: { queries: words.map(({ word, boost }) => clause(word, boost)) } };
  });
  const terms_facet = (field: string) => ({
    terms: { field, size: facetSize, order: [{ _count: "desc" }, { _key: "asc" }] },
  });
  return {
    query: { bool: { must, filter, must_not: [TOMBSTONES] } },
    sort: SORTS[query.sort],
    from: (query.page - 1) * query.size,
    size: query.size,
    track_total_hits: true,
    _source: [
      "sku",
      "name",
      "slug",
      "category",
      "brand",
      "priceCents",
      "rating",
      "inStock",
      "vendor",
      "vendorName",
    ],
    aggs: {
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
    },
    ...(terms.length === 0 ? {} : {
      highlight: {
        type: "fvh",
        pre_tags: ["<em>"],
        post_tags: ["</em>"],
        require_field_match: true,
        fields: {
          name: { number_of_fragments: 0 },
          description: { fragment_size: 100, number_of_fragments: 5 },
        },
      },
    }),
    ...(terms.length === 0 || corrections !== undefined ? {} : {
      suggest: {
        text: terms.join(" "),
        did_you_mean: {
          term: {
            field: "all_text",
            suggest_mode: "missing",
            min_word_length: 3,
            prefix_length: FUZZY_PREFIX_LENGTH,
            max_edits: 2,
            size: MAX_CORRECTIONS,
          },
        },
      },
    }),
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
    suggestions: didYouMean(response.suggest?.did_you_mean ?? []),
  };
}

/** A terms `include` regex for the pairs of `names` (checked names only; none: nothing). */
function facetInclude(names: readonly string[]): string {
  const checked = names.filter((n) => ATTR_NAME.test(n));
  return checked.length === 0 ? "@none" : `(${checked.join("|")})=.*`;
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

/** `fuzziness: AUTO`: no edit up to 2 characters, one up to 5, then two. */
export function autoFuzziness(term: string): number {
  const length = [...term].length;
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/** Optimal-string-alignment distance (adjacent transpositions cost 1, as Lucene counts). */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, prevPrev[j - 2] + 1);
      }
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length];
}

/**
 * The whole query with each unknown term (the suggester only reports those, `missing` mode)
 * replaced by the nearest indexed word within the term's AUTO fuzziness: fewest edits, then
 * most frequent, then alphabetical. Nothing when no term changes.
 */
export function didYouMean(
  entries: readonly { text: string; options: readonly { text: string; freq: number }[] }[],
): string[] {
  let changed = false;
  const words = entries.map(({ text, options }) => {
    const term = text.toLowerCase();
    const max = autoFuzziness(term);
    const best = options
      .map((o) => ({
        word: o.text.toLowerCase(),
        freq: o.freq,
        distance: editDistance(term, o.text.toLowerCase()),
      }))
      .filter((o) => o.distance > 0 && o.distance <= max)
      .sort((a, b) =>
        a.distance - b.distance || b.freq - a.freq ||
        (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)
      )[0];
    if (!best) return term;
    changed = true;
    return best.word;
  });
  return changed ? [words.join(" ")] : [];
}

/**
 * The corrections of each unknown term (the suggester reports only those, `missing` mode)
 * within its AUTO fuzziness, nearest and most frequent first; null when no term has any
 * (a second query could find nothing).
 */
export function correctionsOf(
  entries: readonly { text: string; options: readonly { text: string; freq: number }[] }[],
): Corrections | null {
  const corrections = new Map<string, { word: string; boost: number }[]>();
  for (const { text, options } of entries) {
    const term = text.toLowerCase();
    const max = autoFuzziness(term);
    const words = options
      .map((o) => ({ word: o.text.toLowerCase(), freq: o.freq }))
      .map((o) => ({ ...o, distance: editDistance(term, o.word) }))
      .filter((o) => o.distance > 0 && o.distance <= max)
      .sort((a, b) => a.distance - b.distance || b.freq - a.freq)
      .slice(0, MAX_CORRECTIONS)
      .map(({ word, distance }) => ({
        word,
        boost: Math.max(0.1, 1 - distance / Math.min([...term].length, [...word].length)),
      }));
    if (words.length > 0) corrections.set(term, words);
  }
  return corrections.size > 0 ? corrections : null;
}

/** The suggester's raw entries of a `searchBody` response (empty when it had none). */
export function suggestEntries(raw: unknown) {
  return SearchResponse.parse(raw).suggest?.did_you_mean ?? [];
}

const CompletionResponse = z.object({
  suggest: z.object({
    autocomplete: z.array(z.object({
      options: z.array(z.object({
        _score: z.number(),
        _source: z.object({
          sku: z.string(),
          name: z.string(),
          slug: z.string(),
          publishedAt: z.string().nullable().optional(),
        }),
      })),
    })),
  }),
});

/** Lower case, single spaces, trimmed: what the completion field is asked for. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Completion options asked for first: ties in weight come back in no useful order. */
export function completionSize(limit: number): number {
  return Math.min(limit * 2 + 10, 200);
}

/**
 * The completion suggester cannot filter by a range (only by category or geo contexts), so
 * it is asked for `size` options with `publishedAt` in their `_source`, and the caller
 * leaves out what is not yet published (see `toSuggestions`), asking for more while too few
 * remain.
 */
export function completionBody(prefix: string, size: number) {
  return {
    size: 0,
    _source: ["sku", "name", "slug", "publishedAt"],
    suggest: {
      autocomplete: { prefix, completion: { field: "suggest", size } },
    },
  };
}

export interface Suggestions {
  readonly suggestions: AutocompleteSuggestion[];
  /** Options the suggester returned, before any was left out: fewer than asked = all. */
  readonly options: number;
}

/**
 * Best weight first (leading word, then rating), ties by SKU; each product once. With
 * `publishedBy`, options whose `publishedAt` is missing, null or later are left out.
 */
export function toSuggestions(raw: unknown, limit: number, publishedBy?: Date): Suggestions {
  const response = CompletionResponse.parse(raw);
  const best = new Map<string, { score: number; s: AutocompleteSuggestion }>();
  let options = 0;
  for (const entry of response.suggest.autocomplete) {
    for (const { _score, _source } of entry.options) {
      options += 1;
      if (publishedBy !== undefined) {
        const at = _source.publishedAt ? new Date(_source.publishedAt) : null;
        if (!isPublished(at, publishedBy)) continue;
      }
      const seen = best.get(_source.sku);
      if (!seen || seen.score < _score) {
        best.set(_source.sku, {
          score: _score,
          s: { sku: _source.sku, name: _source.name, slug: _source.slug },
        });
      }
    }
  }
  const suggestions = [...best.values()]
    .sort((a, b) => b.score - a.score || (a.s.sku < b.s.sku ? -1 : a.s.sku > b.s.sku ? 1 : 0))
    .slice(0, limit)
    .map(({ s }) => s);
  return { suggestions, options };
}
