import type {
  AutocompleteSuggestion,
  SearchDocument,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";

/**
 * Derived search data (Elasticsearch in production). Writes are versioned: a document or
 * delete whose `version` is not newer than what the index holds is ignored, so replays and
 * out-of-order deliveries are harmless. Adapters throw `DependencyUnavailable` when down.
 */
export interface SearchIndex {
  /** `query.publishedBy` filters results, facets and totals alike. */
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Up to `limit` suggestions; with `publishedBy`, only products published at or before it
   * (still `limit` of them when that many match, however many unpublished ones rank higher).
   */
  autocomplete(
    prefix: string,
    limit: number,
    publishedBy?: Date,
  ): Promise<AutocompleteSuggestion[]>;
  put(doc: SearchDocument): Promise<void>;
  remove(sku: string, version: number): Promise<void>;
  /**
   * Builds a fresh index from `docs` and atomically makes it the one searched; searches keep
   * answering from the old index meanwhile. Writes that arrive during the rebuild are kept.
   */
  rebuild(docs: AsyncIterable<SearchDocument>, onProgress?: (indexed: number) => void): Promise<{
    indexed: number;
  }>;
}
