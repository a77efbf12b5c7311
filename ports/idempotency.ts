export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotencyScope {
  readonly userId: string;
  readonly key: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  readonly fingerprint: string;
}

export type IdempotencyClaim =
  | { readonly kind: "claimed" }
  | { readonly kind: "replay"; readonly response: StoredResponse }
  | { readonly kind: "mismatch" }
  | { readonly kind: "in_flight" };

/** Idempotency keys per user (PostgreSQL in production). Keys older than `ttlMs` are forgotten. */
export interface IdempotencyStore {
  /** Atomically claims the key, or reports why it cannot be claimed. */
  claim(scope: IdempotencyScope, now: Date, ttlMs: number): Promise<IdempotencyClaim>;
  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void>;
  /** Drops an unfinished claim so the client may retry (the request failed on our side). */
  release(scope: IdempotencyScope): Promise<void>;
}
