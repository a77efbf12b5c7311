/**
 * Search failures: the rebuild that is already running.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

/** A search rebuild already runs (in this process or another); `jobId` is the running one. */
export class ReindexInProgress extends DomainError {
  readonly code = "reindex_in_progress";
  constructor(readonly jobId: string) {
    super(`a search rebuild is already running (job ${jobId}); wait for it to finish`);
  }
}
