/**
 * When an event fails: retried with backoff, then either stalled (a store is down and will
 * come back: the pass stops before it) or parked (kept with its error for the status report).
 */
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { FacetableByCategory } from "../../domain/catalog/category.ts";
import type { ChangeEvent } from "../../ports/search/change_feed.ts";
import { applyEvent } from "./sync_dispatch.ts";
import type { SyncDeps, SyncOptions } from "./sync_deps.ts";

/** How applying one event ended; a parked event keeps the last error for the status report. */
export type Attempt =
  | { readonly outcome: "applied" | "stalled" }
  | { readonly outcome: "parked"; readonly error: string };

export async function applyWithRetry(
  deps: SyncDeps,
  event: ChangeEvent,
  options: SyncOptions,
  tree: () => Promise<FacetableByCategory>,
): Promise<Attempt> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      await applyEvent(deps, event, tree);
      return { outcome: "applied" };
    } catch (error) {
      lastError = error;
      if (attempt < options.attempts) {
        await new Promise((r) => setTimeout(r, options.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }
  // A store that is down will come back: stop here and resume from this event later.
  if (lastError instanceof DependencyUnavailable) return { outcome: "stalled" };
  return { outcome: "parked", error: String(lastError) };
}

/** Keeps an event that keeps failing aside, with its error, and says so in the log. */
export async function parkEvent(
  deps: SyncDeps,
  feed: string,
  event: ChangeEvent,
  error: string,
  options: SyncOptions,
): Promise<void> {
  await deps.state.park({
    feed,
    event,
    error,
    attempts: options.attempts,
    parkedAt: deps.clock.now(),
  });
  deps.logger.error("sync event parked", { feed, sku: event.sku, error });
}
