import type {
  IdempotencyClaim,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../ports/idempotency.ts";

interface Entry {
  readonly fingerprint: string;
  readonly claimedAt: number;
  readonly response: StoredResponse | null;
}

/** Idempotency keys per user in memory. A key older than `ttlMs` at `now` counts as absent. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  claim(scope: IdempotencyScope, now: Date, ttlMs: number): Promise<IdempotencyClaim> {
    const id = keyOf(scope);
    const entry = this.#entries.get(id);
    if (!entry || now.getTime() - entry.claimedAt > ttlMs) {
      this.#entries.set(id, {
        fingerprint: scope.fingerprint,
        claimedAt: now.getTime(),
        response: null,
      });
      return Promise.resolve({ kind: "claimed" });
    }
    if (entry.fingerprint !== scope.fingerprint) return Promise.resolve({ kind: "mismatch" });
    if (entry.response === null) return Promise.resolve({ kind: "in_flight" });
    return Promise.resolve({ kind: "replay", response: structuredClone(entry.response) });
  }

  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    const id = keyOf(scope);
    const entry = this.#entries.get(id);
    if (entry && entry.fingerprint === scope.fingerprint) {
      this.#entries.set(id, { ...entry, response: structuredClone(response) });
    }
    return Promise.resolve();
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
