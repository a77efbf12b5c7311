import type {
  AutocompleteSuggestion,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import type { Clock } from "../../ports/clock.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";

export interface SearchDeps {
  readonly index: SearchIndex;
  readonly clock: Clock;
}

// Identical searches in flight share one index query (per index): under a crowd the index
// sees one query per distinct search in flight, not one per request.
const searchingByIndex = new WeakMap<SearchIndex, Map<string, Promise<SearchResult>>>();

/**
 * Public search: only products published at the clock's now (drafts and scheduled never). A
 * search identical to one in flight joins it (its answer is at most that query's age older).
 */
export function searchProducts(
  deps: SearchDeps,
  query: Omit<SearchQuery, "publishedBy">,
): Promise<SearchResult> {
  const searching = searchingByIndex.get(deps.index) ?? new Map();
  searchingByIndex.set(deps.index, searching);
  const key = JSON.stringify(query);
  let pending = searching.get(key);
  if (!pending) {
    pending = deps.index.search({ ...query, publishedBy: deps.clock.now() })
      .finally(() => searching.delete(key));
    searching.set(key, pending);
  }
  return pending;
}

export async function autocomplete(
  deps: SearchDeps,
  input: { prefix: string; limit: number },
): Promise<AutocompleteSuggestion[]> {
  const prefix = input.prefix.trim();
  if (prefix === "") return [];
  return await deps.index.autocomplete(prefix, input.limit, deps.clock.now());
}
