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

/** Public search: only products published at the clock's now (drafts and scheduled never). */
export function searchProducts(
  deps: SearchDeps,
  query: Omit<SearchQuery, "publishedBy">,
): Promise<SearchResult> {
  return deps.index.search({ ...query, publishedBy: deps.clock.now() });
}

export async function autocomplete(
  deps: SearchDeps,
  input: { prefix: string; limit: number },
): Promise<AutocompleteSuggestion[]> {
  const prefix = input.prefix.trim();
  if (prefix === "") return [];
  return await deps.index.autocomplete(prefix, input.limit, deps.clock.now());
}
