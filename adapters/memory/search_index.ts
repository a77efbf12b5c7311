import { matchesAttrEquals } from "../../domain/search/variant_search.ts";
import type {
  AutocompleteSuggestion,
  SearchDocument,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import { categoryKeysOf } from "../../domain/search/search.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import type { Outage } from "./outage.ts";
import { Generation, type Write } from "./search_generation.ts";
import {
  bySku,
  compareFor,
  expand,
  type Expansion,
  type Scored,
  termScore,
} from "./search_scoring.ts";
import { resultOf } from "./search_results.ts";
import { tokenize } from "./search_text.ts";

export { autoFuzziness, editDistance, tokenize } from "./search_text.ts";

export interface MemorySearchIndexOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("elasticsearch")`. */
  readonly outage?: Outage;
}

/** `onProgress` is called every this many documents, and once at the end. */
const PROGRESS_EVERY = 500;

/**
 * Search in memory, behaving like the Elasticsearch adapter rather than a substring filter:
 * - text: lower-cased words; every query term must match some field (operator AND), with
 *   typo tolerance like `fuzziness: AUTO` with `prefix_length: 1` for the words the index does
 *   not know, used only when the words as typed find nothing (as the Elasticsearch adapter
 *   does); scores are BM25 per field, weighted name 3,
 *   brand 2, category and tags 1.5, description 1, combined like `best_fields`;
 * - filters: the category's subtree, exact brand, inclusive price bounds, exact `inStock`;
 * - facets: children of the selected category (roots when none), brand and the four price
 *   buckets, over every hit of query + filters;
 * - suggestions: the query with each unknown term replaced by the nearest indexed word
 *   (within the same fuzziness), or nothing when every term is known or none can be fixed;
 * - writes are versioned (tombstones kept), and `rebuild` swaps in a new generation,
 *   replaying onto it the writes that arrived while it was being built.
 */
export class MemorySearchIndex implements SearchIndex {
  #live = new Generation();
  /** One buffer per rebuild in progress: writes to replay onto the new generation. */
  readonly #rebuilds = new Set<Write[]>();
  readonly #outage?: Outage;

  constructor(options: MemorySearchIndexOptions = {}) {
    this.#outage = options.outage;
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.#run(() => this.#search(query));
  }

  autocomplete(
    prefix: string,
    limit: number,
    publishedBy?: Date,
  ): Promise<AutocompleteSuggestion[]> {
    return this.#run(() => {
      const wanted = prefix.trim().toLowerCase().replace(/\s+/g, " ");
      if (wanted === "" || limit <= 0) return [];
      const found: { doc: SearchDocument; leading: boolean }[] = [];
      for (const { doc } of this.#live.docs.values()) {
        if (publishedBy !== undefined && !isPublished(doc.publishedAt, publishedBy)) continue;
        const name = doc.name.toLowerCase().replace(/\s+/g, " ");
        let at = name.indexOf(wanted);
        while (at > 0 && /[\p{L}\p{N}]/u.test(name[at - 1])) at = name.indexOf(wanted, at + 1);
        if (at >= 0) found.push({ doc, leading: at === 0 });
      }
      return found.sort((a, b) =>
        Number(b.leading) - Number(a.leading) || b.doc.rating - a.doc.rating ||
        bySku(a.doc, b.doc)
      ).slice(0, limit).map(({ doc }) => ({ sku: doc.sku, name: doc.name, slug: doc.slug }));
    });
  }

  put(doc: SearchDocument): Promise<void> {
    return this.#run(() => this.#write({ kind: "put", doc: structuredClone(doc) }));
  }

  remove(sku: string, version: number): Promise<void> {
    return this.#run(() => this.#write({ kind: "remove", sku, version }));
  }

  async rebuild(
    docs: AsyncIterable<SearchDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    this.#outage?.check("elasticsearch");
    const next = new Generation();
    const arrived: Write[] = [];
    this.#rebuilds.add(arrived);
    try {
      let indexed = 0;
      let reported = -1;
      for await (const doc of docs) {
        next.put(doc);
        indexed += 1;
        if (indexed % PROGRESS_EVERY === 0) {
          onProgress?.(indexed);
          reported = indexed;
        }
      }
      this.#outage?.check("elasticsearch");
      // No await from here to the swap: nothing can slip in between.
      for (const write of arrived) next.apply(write);
      this.#live = next;
      if (reported !== indexed) onProgress?.(indexed);
      return { indexed };
    } finally {
      this.#rebuilds.delete(arrived);
    }
  }

  #write(write: Write): void {
    this.#live.apply(write);
    for (const arrived of this.#rebuilds) arrived.push(write);
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("elasticsearch");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #search(query: SearchQuery): SearchResult {
    const gen = this.#live;
    const terms = [...new Set(tokenize(query.q))];
    // As the Elasticsearch adapter: the words as typed first, corrected only when they find
    // nothing.
    let expansions = terms.map((term) => expand(term, gen, false));
    let scored = this.#scored(query, gen, expansions);
    // Only the words the index does not know are corrected (as the suggester's `missing` mode).
    if (scored.length === 0 && terms.some((term) => !gen.vocabulary.has(term))) {
      expansions = terms.map((term) => expand(term, gen, !gen.vocabulary.has(term)));
      scored = this.#scored(query, gen, expansions);
    }
    return resultOf(query, gen, expansions, scored);
  }

  #scored(query: SearchQuery, gen: Generation, expansions: readonly Expansion[]): Scored[] {
    const scored: Scored[] = [];
    for (const indexed of gen.docs.values()) {
      const { doc } = indexed;
      if (
        query.category !== undefined && !categoryKeysOf(doc).categories.includes(query.category)
      ) continue;
      if (query.brand !== undefined && doc.brand !== query.brand) continue;
      if (query.vendor !== undefined && doc.vendor !== query.vendor) continue;
      if (query.minPriceCents !== undefined && doc.priceCents < query.minPriceCents) continue;
      if (query.maxPriceCents !== undefined && doc.priceCents > query.maxPriceCents) continue;
      if (query.minRating !== undefined && doc.rating < query.minRating) continue;
      if (query.inStock !== undefined && doc.inStock !== query.inStock) continue;
      if (query.attrs !== undefined && !matchesAttrEquals(doc.facetAttrs, query.attrs)) continue;
      if (query.publishedBy !== undefined && !isPublished(doc.publishedAt, query.publishedBy)) {
        continue;
      }
      let score = 0;
      let matchesAll = true;
      for (const expansion of expansions) {
        const s = termScore(indexed, expansion, gen);
        if (s === 0) {
          matchesAll = false;
          break;
        }
        score += s;
      }
      if (matchesAll) scored.push({ doc, score });
    }
    return scored.sort(compareFor(query.sort));
  }
}
