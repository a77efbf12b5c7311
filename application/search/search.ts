import type {
  AutocompleteSuggestion,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import type { Clock } from "../../ports/clock.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import { SharedReads } from "../shared_reads.ts";

export interface SearchDeps {
  readonly index: SearchIndex;
  readonly clock: Clock;
}

// Identical searches share one index query (per index): under a crowd the index sees one
// query per distinct search in flight, or per `reuseMs` when that is set.
const searchesByIndex = new WeakMap<SearchIndex, SharedReads<SearchResult>>();

/**
 * Public search: only products published at the clock's now (drafts and scheduled never). A
 * search identical to one in flight joins it, and with `reuseMs` (READ_REUSE_MS) one answered
 * less than that ago is answered again. The index itself refreshes about once a second, so a
 * short reuse adds little to how stale an answer can be.
 */
export function searchProducts(
  deps: SearchDeps & { readonly reuseMs?: number },
  query: Omit<SearchQuery, "publishedBy">,
): Promise<SearchResult> {
  let searches = searchesByIndex.get(deps.index);
  if (!searches) searchesByIndex.set(deps.index, searches = new SharedReads());
  return searches.read(
    JSON.stringify(query),
    deps.reuseMs ?? 0,
    () => deps.index.search({ ...query, publishedBy: deps.clock.now() }),
  );
}

export async function autocomplete(
  deps: SearchDeps,
  input: { prefix: string; limit: number },
): Promise<AutocompleteSuggestion[]> {
  const prefix = input.prefix.trim();
  if (prefix === "") return [];
  return await deps.index.autocomplete(prefix, input.limit, deps.clock.now());
}
