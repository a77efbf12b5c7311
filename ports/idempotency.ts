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

export interface ClaimOptions {
  /** Keys are forgotten this long after they were first claimed. */
  readonly ttlMs: number;
  /**
   * An unfinished claim this old is taken to be dead (its request crashed or lost its store)
   * and may be claimed again by the same request.
   */
  readonly leaseMs: number;
  /** Kept with a new key: every claim of the key, takeovers included, gets the first one back. */
  readonly resourceId: string;
}

export type IdempotencyClaim =
  | {
    readonly kind: "claimed";
    /** The id the request creates its resource under (stable across takeovers). */
    readonly resourceId: string;
    /** True when this claim took over an earlier one that never finished. */
    readonly recovered: boolean;
  }
  | { readonly kind: "replay"; readonly response: StoredResponse }
  | { readonly kind: "mismatch" }
  | { readonly kind: "in_flight" };

/** Idempotency keys per user (PostgreSQL in production). Keys older than `ttlMs` are forgotten. */
export interface IdempotencyStore {
  /** Atomically claims the key (or takes over an abandoned claim), or reports why it cannot. */
  claim(scope: IdempotencyScope, now: Date, options: ClaimOptions): Promise<IdempotencyClaim>;
  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void>;
  /** Drops an unfinished claim so the client may retry (the request failed on our side). */
  release(scope: IdempotencyScope): Promise<void>;
}
