/**
 * Leases: at most one holder of a named duty at a time across every process (the search
 * rebuild today; the sweeper, each sync feed and the pruning later). A lease expires `ttlMs`
 * after it was taken or last renewed, so a dead holder's duty moves on: the holder renews well
 * within the TTL while it works and releases when done. Time is the store's own (PostgreSQL's
 * clock in production), so processes with skewed clocks agree.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly expiresAt: Date;
}

export interface Leases {
  /** Takes the lease when it is free or expired, or extends it for its holder; true when held. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `holder` still holds; false (and nothing changes) for anyone else. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up; a no-op for anyone but its holder. */
  release(name: string, holder: string): Promise<void>;
  /** The unexpired lease on `name`, if any. */
  current(name: string): Promise<Lease | null>;
}

/** The last run of a named background job, readable from every process and after restarts. */
export interface JobRecord {
  readonly name: string;
  readonly id: string;
  readonly status: "running" | "succeeded" | "failed";
  /** How far it got (documents indexed, rows pruned, ...). */
  readonly progress: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface JobLog {
  /** Records the job as the latest run of `job.name` (replacing the previous record). */
  save(job: JobRecord): Promise<void>;
  latest(name: string): Promise<JobRecord | null>;
}
