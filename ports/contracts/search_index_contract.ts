import type { SearchIndex } from "../search/search_index.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";
import { facetAndSuggestionSteps } from "./search_facet_steps.ts";
import { matchingSteps } from "./search_query_steps.ts";
import { publicationAndWriteSteps } from "./search_write_steps.ts";

/**
 * The behaviour every `SearchIndex` keeps. The fixture exposes nothing but the subject, so
 * the suite tolerates near-real-time indices: wherever a write must become visible it polls
 * (up to `VISIBLE_WITHIN_MS`) before failing, and before asserting that a write was ignored
 * it writes a marker document and waits for that (a refresh makes every earlier write
 * visible; with several shards, the adapter's own refresh policy must keep that promise).
 *
 * Every step uses its own SKUs, words and category, so it may share a live index with
 * anything else. Semantics pinned here:
 * - every query term must match some field (AND), each with `fuzziness: AUTO` typo tolerance
 *   (first letter kept) when the words as typed find nothing;
 *   the name weighs more than the description;
 * - filters: the category's subtree (`categories`), exact brand, inclusive price bounds,
 *   exact `inStock`; the category facet counts children of the selected category (roots
 *   when none is selected) from `categoryPaths`;
 * - facets count the hits of the query with all its filters; price facets list all four
 *   buckets in `PRICE_BUCKETS` order, zero counts included; term facets sort by count
 *   descending, then value;
 * - sorts break ties by SKU; `rating` is rating, then rating count, descending;
 * - highlights: `name` and `description` fragments with matched words in `<em></em>`, only
 *   for fields that matched; no highlight without a query;
 * - suggestions: the whole query with each unknown term replaced by the nearest indexed
 *   word, lower case, space separated; none when every term is known;
 * - autocomplete: names with a word starting with the prefix, case-insensitive; names that
 *   start with it first, then by rating;
 * - publication: with `publishedBy`, search (hits, facets, totals) and autocomplete leave out
 *   documents whose `publishedAt` is null or later; autocomplete still fills its limit;
 * - writes are versioned, deletes leave tombstones, `rebuild` serves the old index until it
 *   swaps and keeps the writes that arrive meanwhile.
 */
export function searchIndexContract(
  label: string,
  make: MakeFixture<SearchIndex>,
  options: ContractOptions = {},
): void {
  defineContract("SearchIndex", label, make, options, async (step) => {
    await matchingSteps(step);
    await facetAndSuggestionSteps(step);
    await publicationAndWriteSteps(step);
  });
}
