import type { Clock } from "../ports/clock.ts";
import type { Housekeeping, PruneReport, RetentionPolicy } from "../ports/housekeeping.ts";
import type { Logger } from "../ports/logger.ts";

export interface HousekeepingDeps {
  readonly housekeeping: Housekeeping;
  readonly clock: Clock;
  readonly logger: Logger;
}

const BATCH = 1_000;
/** A pass stops after this many batches and leaves the rest to the next one. */
const MAX_BATCHES = 100;

/**
 * One pruning pass: deletes in batches (short statements, no long locks) until nothing the
 * policy lets go of is left, and logs what went when anything did.
 */
export async function pruneExpired(
  deps: HousekeepingDeps,
  policy: RetentionPolicy,
  batch = BATCH,
): Promise<PruneReport> {
  const total = { outbox: 0, idempotencyKeys: 0, sessions: 0, parkedEvents: 0 };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const report = await deps.housekeeping.prune(deps.clock.now(), policy, batch);
    total.outbox += report.outbox;
    total.idempotencyKeys += report.idempotencyKeys;
    total.sessions += report.sessions;
    total.parkedEvents += report.parkedEvents;
    if (Object.values(report).every((n) => n < batch)) break;
  }
  if (Object.values(total).some((n) => n > 0)) deps.logger.info("pruned", { ...total });
  return total;
}
