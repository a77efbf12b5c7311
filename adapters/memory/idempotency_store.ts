import type {
  ClaimOptions,
  IdempotencyClaim,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../ports/idempotency.ts";

interface Entry {
  readonly fingerprint: string;
  readonly createdAt: number;
  readonly claimedAt: number;
  readonly resourceId: string;
  readonly response: StoredResponse | null;
}

/**
 * Idempotency keys per user in memory. A key older than `ttlMs` at `now` counts as absent; an
 * unfinished claim at least `leaseMs` old is taken over by the same request.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  claim(scope: IdempotencyScope, now: Date, options: ClaimOptions): Promise<IdempotencyClaim> {
    const id = keyOf(scope);
    const entry = this.#entries.get(id);
    const t = now.getTime();
    if (!entry || t - entry.createdAt > options.ttlMs) {
      this.#entries.set(id, {
        fingerprint: scope.fingerprint,
        createdAt: t,
        claimedAt: t,
        resourceId: options.resourceId,
        response: null,
      });
      return Promise.resolve({
        kind: "claimed",
        resourceId: options.resourceId,
        recovered: false,
      });
    }
    if (entry.fingerprint !== scope.fingerprint) return Promise.resolve({ kind: "mismatch" });
    if (entry.response !== null) {
      return Promise.resolve({ kind: "replay", response: structuredClone(entry.response) });
    }
    if (t - entry.claimedAt < options.leaseMs) return Promise.resolve({ kind: "in_flight" });
    this.#entries.set(id, { ...entry, claimedAt: t });
    return Promise.resolve({ kind: "claimed", resourceId: entry.resourceId, recovered: true });
  }

  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    const id = keyOf(scope);
    const entry = this.#entries.get(id);
    if (entry && entry.fingerprint === scope.fingerprint) {
      this.#entries.set(id, { ...entry, response: structuredClone(response) });
    }
    return Promise.resolve();
  }

  /** Housekeeping: drops up to `limit` keys created and last claimed before `before`. */
  prune(before: Date, limit: number): number {
    let removed = 0;
    for (const [id, entry] of this.#entries) {
      if (removed >= limit) break;
      if (entry.createdAt >= before.getTime() || entry.claimedAt >= before.getTime()) continue;
      this.#entries.delete(id);
      removed++;
    }
    return removed;
  }

  /** How many keys it holds (tests). */
  get size(): number {
    return this.#entries.size;
  }

  release(scope: IdempotencyScope): Promise<void> {
    const id = keyOf(scope);
    const entry = this.#entries.get(id);
    if (entry && entry.fingerprint === scope.fingerprint && entry.response === null) {
      this.#entries.delete(id);
    }
    return Promise.resolve();
  }
}

function keyOf(scope: IdempotencyScope): string {
  return `${scope.userId}\u0000${scope.key}`;
}
