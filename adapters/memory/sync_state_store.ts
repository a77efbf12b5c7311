import type { ParkedEvent, SyncStateStore } from "../../ports/change_feed.ts";

interface Checkpoint {
  readonly checkpoint: string;
  readonly lastEventAt: Date;
}

/** Consumer checkpoints and parked events in memory. Re-parking the same event replaces it. */
export class MemorySyncStateStore implements SyncStateStore {
  readonly #checkpoints = new Map<string, Checkpoint>();
  readonly #parked = new Map<string, ParkedEvent>();

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
    this.#parked.set(`${event.feed}\u0000${event.event.checkpoint}`, copyParked(event));
    return Promise.resolve();
  }

  /** Oldest first. */
  parked(limit: number): Promise<ParkedEvent[]> {
    const all = [...this.#parked.values()].sort((a, b) =>
      a.parkedAt.getTime() - b.parkedAt.getTime()
    );
    return Promise.resolve(all.slice(0, Math.max(0, limit)).map(copyParked));
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
