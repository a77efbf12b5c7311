import type { ParkedEvent, Resyncs, SyncStateStore } from "../../ports/search/change_feed.ts";

interface Checkpoint {
  readonly checkpoint: string;
  readonly lastEventAt: Date;
}

/** Consumer checkpoints and parked events in memory. Re-parking the same event replaces it. */
export class MemorySyncStateStore implements SyncStateStore {
  readonly #checkpoints = new Map<string, Checkpoint>();
  readonly #parked = new Map<string, ParkedEvent>();
  readonly #resolvedAt = new Map<string, Date>();
  readonly #resyncs = new Map<string, Resyncs>();

  recordResync(feed: string, at: Date, reason: string): Promise<void> {
    const count = (this.#resyncs.get(feed)?.count ?? 0) + 1;
    this.#resyncs.set(feed, { count, lastAt: new Date(at), lastReason: reason });
    return Promise.resolve();
  }

  resyncs(feed: string): Promise<Resyncs | null> {
    const r = this.#resyncs.get(feed);
    return Promise.resolve(r ? { ...r, lastAt: new Date(r.lastAt) } : null);
  }

  checkpoint(feed: string): Promise<Checkpoint | null> {
    const saved = this.#checkpoints.get(feed);
    return Promise.resolve(
      saved ? { checkpoint: saved.checkpoint, lastEventAt: new Date(saved.lastEventAt) } : null,
    );
  }

  saveCheckpoint(feed: string, checkpoint: string, lastEventAt: Date): Promise<void> {
    this.#checkpoints.set(feed, { checkpoint, lastEventAt: new Date(lastEventAt) });
    return Promise.resolve();
  }

  park(event: ParkedEvent): Promise<void> {
    const key = `${event.feed}\u0000${event.event.checkpoint}`;
    this.#parked.set(key, copyParked(event));
    this.#resolvedAt.delete(key);
    return Promise.resolve();
  }

  /** Unresolved, oldest first. */
  parked(limit: number): Promise<ParkedEvent[]> {
    const all = [...this.#parked.entries()]
      .filter(([key]) => !this.#resolvedAt.has(key))
      .map(([, p]) => p)
      .sort((a, b) => a.parkedAt.getTime() - b.parkedAt.getTime());
    return Promise.resolve(all.slice(0, Math.max(0, limit)).map(copyParked));
  }

  resolve(feed: string | null, skus: readonly string[] | "all", at: Date): Promise<void> {
    for (const [key, p] of this.#parked) {
      if (this.#resolvedAt.has(key) || (feed !== null && p.feed !== feed)) continue;
      if (skus !== "all" && !skus.includes(p.event.sku)) continue;
      if (p.parkedAt.getTime() <= at.getTime()) this.#resolvedAt.set(key, new Date(at));
    }
    return Promise.resolve();
  }

  /** Housekeeping: drops up to `limit` events resolved before `before`. */
  pruneResolved(before: Date, limit: number): number {
    let removed = 0;
    for (const [key, at] of this.#resolvedAt) {
      if (removed >= limit) break;
      if (at.getTime() >= before.getTime()) continue;
      this.#resolvedAt.delete(key);
      this.#parked.delete(key);
      removed++;
    }
    return removed;
  }

  /** How many parked events it holds, resolved or not (tests). */
  get size(): number {
    return this.#parked.size;
  }

  /** Housekeeping: every feed's checkpoint. */
  checkpoints(): ReadonlyMap<string, string> {
    return new Map([...this.#checkpoints].map(([feed, c]) => [feed, c.checkpoint]));
  }
}

function copyParked(p: ParkedEvent): ParkedEvent {
  return {
    feed: p.feed,
    event: { ...p.event, at: new Date(p.event.at) },
    error: p.error,
    attempts: p.attempts,
    parkedAt: new Date(p.parkedAt),
  };
}
