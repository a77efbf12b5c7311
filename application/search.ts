import type { AutocompleteSuggestion, SearchQuery, SearchResult } from "../domain/search/search.ts";
import type { SearchIndex } from "../ports/search_index.ts";

export function searchProducts(
  deps: { index: SearchIndex },
  query: SearchQuery,
): Promise<SearchResult> {
  return deps.index.search(query);
}

export async function autocomplete(
  deps: { index: SearchIndex },
  input: { prefix: string; limit: number },
): Promise<AutocompleteSuggestion[]> {
  const prefix = input.prefix.trim();
  if (prefix === "") return [];
  return await deps.index.autocomplete(prefix, input.limit);
}
