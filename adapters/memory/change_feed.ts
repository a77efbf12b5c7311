import {
  type Backlog,
  type ChangeEvent,
  type ChangeFeed,
  FeedHistoryLost,
} from "../../ports/search/change_feed.ts";

/**
 * An append-only in-memory change log: the memory stand-in for the PostgreSQL outbox and the
 * MongoDB change stream. Checkpoints are stringified sequence numbers (the first event is "1").
 */
export class MemoryChangeLog implements ChangeFeed {
  readonly name: string;
  readonly #events: ChangeEvent[] = [];
  /** How many events housekeeping dropped from the front; checkpoints stay absolute. */
  #dropped = 0;
  readonly #waiters = new Set<() => void>();

  constructor(name = "memory") {
    this.name = name;
  }

  /** Records a change synchronously, so a store can call it in the same step as its write. */
  append(source: ChangeEvent["source"], sku: string, at: Date): ChangeEvent {
    const event: ChangeEvent = Object.freeze({
      source,
      sku,
      at: new Date(at),
      checkpoint: String(this.#dropped + this.#events.length + 1),
    });
    this.#events.push(event);
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
    return copy(event);
  }

  async poll(after: string | null, limit: number, waitMs: number): Promise<ChangeEvent[]> {
    const start = () => this.#start(after);
    if (this.#events.length <= start() && waitMs > 0) await this.#waitForAppend(waitMs);
    return this.#events.slice(start(), start() + Math.max(0, limit)).map(copy);
  }

  async backlog(after: string | null): Promise<Backlog> {
    const start = this.#start(after);
    const pending = Math.max(0, this.#events.length - start);
    const oldest = this.#events[start];
    return await Promise.resolve({ pending, oldestAt: oldest ? new Date(oldest.at) : null });
  }

  head(): Promise<string | null> {
    return Promise.resolve(String(this.#dropped + this.#events.length));
  }

  /** Test hook: forgets every event, as an oplog that rolled over (consumers resync). */
  loseHistory(): void {
    this.#dropped += this.#events.length;
    this.#events.length = 0;
  }

  /** Index into `#events` of the event after `after`; throws when that one was dropped. */
  #start(after: string | null): number {
    if (after === null) return 0; // from the start: whatever the log still holds
    const position = positionOf(after);
    if (position < this.#dropped) {
      throw new FeedHistoryLost(this.name, `checkpoint ${after} is older than the log's history`);
    }
    return position - this.#dropped;
  }

  /** Housekeeping: drops up to `limit` events at or before `consumed` and older than `before`. */
  prune(consumed: string, before: Date, limit: number): number {
    const upTo = positionOf(consumed) - this.#dropped;
    let n = 0;
    while (n < Math.min(upTo, limit) && this.#events[n].at.getTime() < before.getTime()) n++;
    this.#events.splice(0, n);
    this.#dropped += n;
    return n;
  }

  /** How many events it holds (tests). */
  get size(): number {
    return this.#events.length;
  }

  #waitForAppend(waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      this.#waiters.add(wake);
    });
  }
}

function positionOf(checkpoint: string | null): number {
  if (checkpoint === null) return 0;
  if (!/^\d+$/.test(checkpoint)) {
    throw new TypeError(`not a memory change log checkpoint: ${checkpoint}`);
  }
  return Number(checkpoint);
}

function copy(event: ChangeEvent): ChangeEvent {
  return { ...event, at: new Date(event.at) };
}
