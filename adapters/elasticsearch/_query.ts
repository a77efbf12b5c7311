/**
 * The `_search` bodies of the product index. The parts live beside it by responsibility
 * (words and typos `_query_text.ts`, filters and sorts `_query_filters.ts`, facets
 * `_query_aggs.ts`, the response `_query_result.ts`, autocomplete `_query_completion.ts`);
 * this module re-exports them so importers keep one path.
 */
import type { SearchQuery } from "../../domain/search/search.ts";
import { facetAggs } from "./_query_aggs.ts";
import { filtersOf, sortOf, TOMBSTONES } from "./_query_filters.ts";
import {
  type Corrections,
  FUZZY_PREFIX_LENGTH,
  MAX_CORRECTIONS,
  queryTerms,
  SEARCH_FIELDS,
} from "./_query_text.ts";

export {
  autoFuzziness,
  type Corrections,
  correctionsOf,
  didYouMean,
  editDistance,
  FUZZY_PREFIX_LENGTH,
  MAX_CORRECTIONS,
  queryTerms,
  SEARCH_FIELDS,
} from "./_query_text.ts";
export { TOMBSTONES } from "./_query_filters.ts";
export { childPathPattern } from "./_query_aggs.ts";
export { suggestEntries, toSearchResult } from "./_query_result.ts";
export {
  completionBody,
  completionSize,
  normalizePrefix,
  type Suggestions,
  toSuggestions,
} from "./_query_completion.ts";

/**
 * The `_search` body for a query. Every term must match some field (one `multi_match` per
 * term, best field plus 0.3 of the others), filters do not score, facets are aggregations
 * over the same hits. Typo tolerance costs nothing until it is needed: the first body
 * (no `corrections`) matches the words as typed; only when that finds nothing does the index
 * send `suggestBody`, and then a second body that replaces each unknown term by its
 * corrections within AUTO fuzziness (`correctionsOf`). Fuzzy queries on five fields, a fuzzy highlight query and a
 * suggester with no prefix cost 36 ms of `took` a query on the bench index; exact ones ~6 ms.
 * Only values from the typed query reach the body; field names are all constants.
 */
export function searchBody(query: SearchQuery, facetSize: number, corrections?: Corrections) {
  const terms = queryTerms(query.q);
  const filter = filtersOf(query);
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
  return {
    query: { bool: { must, filter, must_not: [TOMBSTONES] } },
    sort: sortOf(query.sort),
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
    aggs: facetAggs(query, facetSize),
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
  };
}

/**
 * The did-you-mean request, sent only when the words as typed find nothing: a `missing`-mode
 * term suggester over `all_text`, which only works on words the index does not know, and no
 * hits. It used to ride along in every first body, where it cost about a tenth of the
 * body's Elasticsearch CPU for an answer only a search that finds nothing uses.
 */
export function suggestBody(query: SearchQuery) {
  return {
    size: 0,
    track_total_hits: false,
    query: { match_none: {} },
    suggest: {
      text: queryTerms(query.q).join(" "),
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
  };
}
