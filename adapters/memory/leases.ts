import type { Clock } from "../../ports/clock.ts";
import type { JobLog, JobRecord, Lease, Leases } from "../../ports/leases.ts";

const systemClock: Clock = { now: () => new Date() };

/** Leases in one process's memory: enough for the in-memory default, where there is one. */
export class MemoryLeases implements Leases {
  readonly #leases = new Map<string, Lease>();

  constructor(private readonly clock: Clock = systemClock) {}

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const lease = this.#live(name);
    if (lease && lease.holder !== holder) return Promise.resolve(false);
    this.#leases.set(name, { name, holder, expiresAt: this.#in(ttlMs) });
    return Promise.resolve(true);
  }

  renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (this.#live(name)?.holder !== holder) return Promise.resolve(false);
    this.#leases.set(name, { name, holder, expiresAt: this.#in(ttlMs) });
    return Promise.resolve(true);
  }

  release(name: string, holder: string): Promise<void> {
    if (this.#leases.get(name)?.holder === holder) this.#leases.delete(name);
    return Promise.resolve();
  }

  current(name: string): Promise<Lease | null> {
    const lease = this.#live(name);
    return Promise.resolve(lease ? { ...lease, expiresAt: new Date(lease.expiresAt) } : null);
  }

  #live(name: string): Lease | null {
    const lease = this.#leases.get(name);
    return lease && lease.expiresAt.getTime() > this.clock.now().getTime() ? lease : null;
  }

  #in(ttlMs: number): Date {
    return new Date(this.clock.now().getTime() + ttlMs);
  }
}

export class MemoryJobLog implements JobLog {
  readonly #jobs = new Map<string, JobRecord>();

  save(job: JobRecord): Promise<void> {
    this.#jobs.set(job.name, copy(job));
    return Promise.resolve();
  }

  latest(name: string): Promise<JobRecord | null> {
    const job = this.#jobs.get(name);
    return Promise.resolve(job ? copy(job) : null);
  }
}

function copy(job: JobRecord): JobRecord {
  return {
    ...job,
    startedAt: new Date(job.startedAt),
    finishedAt: job.finishedAt && new Date(job.finishedAt),
  };
}
