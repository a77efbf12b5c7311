import type { Redis } from "ioredis";

/** The bounds every in-process (near) cache takes. */
export interface NearBounds {
  /** The staleness bound: a value read from the store behind is served locally this long. */
  readonly ttlMs: number;
  /** The memory bound: most keys held (least recently read dropped first). */
  readonly maxEntries: number;
  /** Milliseconds, monotonic; tests pass their own. */
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * The local half of a near cache: values by key, each filed under tags (what a message may name:
 * a SKU, a user), served only while `listening`, at most `ttlMs` after they were read and at most
 * `maxEntries` of them. A read that a drop overtook (the message arrived while the store's answer
 * was on its way) is answered but not kept.
 */
export class NearEntries<V> {
  readonly #bounds: NearBounds;
  readonly #tagsOf: (value: V) => readonly string[];
  readonly #now: () => number;
  /** Key -> entry; Map order is least recently read first. */
  readonly #entries = new Map<string, Entry<V>>();
  /** Tag -> the keys whose entry is filed under it. */
  readonly #keysByTag = new Map<string, Set<string>>();
  /** Bumped by every drop: a read that started before one is not kept. */
  #epoch = 0;
  #listening = false;

  constructor(bounds: NearBounds, tagsOf: (value: V) => readonly string[]) {
    this.#bounds = bounds;
    this.#tagsOf = tagsOf;
    this.#now = bounds.now ?? (() => performance.now());
  }

  get listening(): boolean {
    return this.#listening;
  }

  /** Set false when messages may be missed: nothing is served then, and it starts empty. */
  set listening(on: boolean) {
    if (on !== this.#listening) this.clear();
    this.#listening = on;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The local value of `key` while fresh; else `load`'s answer, kept when not null. */
  async read(key: string, load: () => Promise<V | null>): Promise<V | null> {
    if (this.#listening) {
      const entry = this.#entries.get(key);
      if (entry && entry.expiresAt > this.#now()) {
        this.#entries.delete(key); // most recently read last
        this.#entries.set(key, entry);
        return entry.value;
      }
      if (entry) this.#remove(key);
    }
    const epoch = this.#epoch;
    const value = await load();
    if (value !== null && this.#listening && epoch === this.#epoch) this.#keep(key, value);
    return value;
  }

  /** Forgets `key`'s entry and every entry filed under `tag`. */
  drop(key: string | null, tag: string | null): void {
    this.#epoch += 1;
    if (key !== null) this.#remove(key);
    const tagged = tag === null ? undefined : this.#keysByTag.get(tag);
    for (const k of tagged ?? []) this.#remove(k);
  }

  clear(): void {
    this.#epoch += 1;
    this.#entries.clear();
    this.#keysByTag.clear();
  }

  #keep(key: string, value: V): void {
    this.#remove(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#bounds.ttlMs });
    for (const tag of this.#tagsOf(value)) {
      const keys = this.#keysByTag.get(tag) ?? new Set();
      keys.add(key);
      this.#keysByTag.set(tag, keys);
    }
    while (this.#entries.size > this.#bounds.maxEntries) {
      this.#remove(this.#entries.keys().next().value!);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const tag of this.#tagsOf(entry.value)) {
      const keys = this.#keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysByTag.delete(tag);
    }
  }
}

/** A copy kept in this process that invalidation messages keep honest. */
export interface LocalCopy {
  /** Forgets what the message names (a SKU; a token hash or a user). */
  drop(message: string): void;
  /** Set false when messages may be missed: the copy is then not used, and starts empty. */
  listening: boolean;
}

/**
 * Feeds `cache` the invalidations published on `channel`, over `subscriber` (a connection of
 * its own: a subscribed connection runs no other command). The cache is used only while the
 * subscription is live: a reconnect starts it empty (messages sent meanwhile are lost).
 * Returns a function that unsubscribes and closes the connection.
 */
export function listenForInvalidations(
  subscriber: Redis,
  channel: string,
  cache: LocalCopy,
): () => Promise<void> {
  const down = () => {
    cache.listening = false;
  };
  subscriber.on("message", (from: string, message: string) => {
    if (from === channel) cache.drop(message);
  });
  subscriber.on("close", down);
  subscriber.on("end", down);
  subscriber.on("reconnecting", down);
  // ioredis subscribes again after a reconnect, then emits "ready".
  subscriber.on("ready", () => {
    cache.listening = true;
  });
  subscriber.subscribe(channel).then(() => {
    cache.listening = true;
  }, down);
  return () => {
    down();
    subscriber.disconnect();
    return Promise.resolve();
  };
}
