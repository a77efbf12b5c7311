/** The search use cases (queries, the rebuild and the sync's status), bound to their ports. */
import type { SearchQuery } from "../../domain/search/search.ts";
import type { Ports, Settings } from "../use_case_ports.ts";
import { ReindexJobs } from "./reindex.ts";
import { autocomplete, searchProducts } from "./search.ts";
import { syncStatus } from "./sync_catalog.ts";

export function bindSearch(p: Ports, settings: Pick<Settings, "readReuseMs"> = {}) {
  const reindexJobs = new ReindexJobs({ ...p });
  return {
    search: (query: Omit<SearchQuery, "publishedBy">) =>
      searchProducts({ ...p, reuseMs: settings.readReuseMs }, query),
    autocomplete: (input: { prefix: string; limit: number }) => autocomplete(p, input),
    startReindex: () => reindexJobs.start(),
    reindexJob: () => reindexJobs.current(),
    reindexIdle: () => reindexJobs.idle(),
    syncStatus: () => syncStatus({ state: p.syncState, clock: p.clock }, p.feeds),
  };
}
