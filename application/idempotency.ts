import { IdempotencyInFlight, IdempotencyKeyMismatch } from "../domain/errors.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdempotencyScope, IdempotencyStore, StoredResponse } from "../ports/idempotency.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotentOutcome extends StoredResponse {
  readonly replayed: boolean;
}

/**
 * Runs `execute` at most once per (user, key): a repeat with the same request replays the
 * first response; another request under the key is refused; a repeat while the first is
 * still running is refused too. Server-side failures (5xx) release the key so the client can
 * retry; everything else, client errors included, is remembered for 24 hours.
 */
export async function runIdempotent(
  deps: { idempotency: IdempotencyStore; clock: Clock },
  scope: IdempotencyScope,
  execute: () => Promise<StoredResponse>,
): Promise<IdempotentOutcome> {
  const claim = await deps.idempotency.claim(scope, deps.clock.now(), IDEMPOTENCY_TTL_MS);
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
    response = await execute();
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
