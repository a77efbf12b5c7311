import { IdempotencyInFlight, IdempotencyKeyMismatch } from "../domain/errors.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/ids.ts";
import type { IdempotencyScope, IdempotencyStore, StoredResponse } from "../ports/idempotency.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a request may hold its key before a retry may take the key over. Far above any
 * request's life (statements time out after seconds), so only a claim whose request died
 * (the process killed, or the store lost before the key could be released) ever expires.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

export interface IdempotentOutcome extends StoredResponse {
  readonly replayed: boolean;
}

/** What `execute` is given: the id to create under, and whether an earlier attempt died. */
export interface IdempotentRun {
  /** Stable for the key: a retry after a crash creates under the same id (or finds it). */
  readonly resourceId: string;
  /** True when an earlier attempt with this key died before answering. */
  readonly recovered: boolean;
}

/**
 * Runs `execute` at most once per (user, key): a repeat with the same request replays the
 * first response; another request under the key is refused; a repeat while the first is
 * still running is refused too. Server-side failures (5xx) release the key so the client can
 * retry; everything else, client errors included, is remembered for 24 hours. An attempt that
 * died holding the key is taken over after `IDEMPOTENCY_LEASE_MS`; it runs again with the same
 * `resourceId`, so what the dead attempt created is found instead of created twice.
 */
export async function runIdempotent(
  deps: { idempotency: IdempotencyStore; clock: Clock; ids: IdGenerator },
  scope: IdempotencyScope,
  execute: (run: IdempotentRun) => Promise<StoredResponse>,
): Promise<IdempotentOutcome> {
  const claim = await deps.idempotency.claim(scope, deps.clock.now(), {
    ttlMs: IDEMPOTENCY_TTL_MS,
    leaseMs: IDEMPOTENCY_LEASE_MS,
    resourceId: deps.ids.id(),
  });
  switch (claim.kind) {
    case "replay":
      return { ...claim.response, replayed: true };
    case "mismatch":
      throw new IdempotencyKeyMismatch(scope.key);
    case "in_flight":
      throw new IdempotencyInFlight(scope.key);
  }
  let response: StoredResponse;
  try {
    response = await execute({ resourceId: claim.resourceId, recovered: claim.recovered });
  } catch (error) {
    await deps.idempotency.release(scope);
    throw error;
  }
  if (response.status >= 500) await deps.idempotency.release(scope);
  else await deps.idempotency.complete(scope, response);
  return { ...response, replayed: false };
}

/** The request fingerprint: method, path and body, hashed. */
export async function fingerprintOf(method: string, path: string, body: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${method} ${path}\n${body}`);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
