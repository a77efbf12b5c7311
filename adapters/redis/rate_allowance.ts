import type { RateDecision, RateLimiter } from "../../ports/rate_limiter.ts";
import { MAX_CLAIM, type RateClaim, type RateClaimer } from "./rate_limiter.ts";

export interface LocalAllowanceOptions {
  /** The most hits one claim asks for (default 64; 1 asks Redis on every hit). */
  readonly maxBatch?: number;
  /** How long claimed hits may be spent locally (default `min(250, windowMs / 20)`). */
  readonly leaseMs?: number;
  /** Keys remembered at once (default 10,000); the least recently claimed goes first. */
  readonly maxKeys?: number;
}

/** One key's allowance: the hits left of its last claim and what Redis said then. */
interface Allowance {
  tokens: number;
  claimId: string;
  /** Hits granted by the last claim: the base of the next claim's size. */
  size: number;
  claimedAt: number;
  countAtClaim: number;
  resetMsAtClaim: number;
  leaseUntil: number;
  /** After a claim granted nothing: deny locally until then. */
  deniedUntil: number;
  windowMs: number;
  /** The one claim in flight for this key; concurrent hits wait for it. */
  inFlight: Promise<void> | null;
  /** Hits waiting for that claim: the next claim asks for at least this many more. */
  waiting: number;
}

const SWEEP_EVERY = 1_000;

/**
 * How many hits the next claim asks for: one for a new key; twice the last claim when its
 * lease is still live (demand spent it all early), one when the lease ran out with hits
 * unspent, the same when it ran out spent; at least `demand` (the hits waiting for it); never
 * more than `maxBatch`, nor than an eighth of the remaining hits (at least one), so a slow key
 * or one near its limit claims one at a time.
 */
export function nextClaimSize(
  last: Pick<Allowance, "size" | "tokens" | "leaseUntil"> | undefined,
  nowMs: number,
  remaining: number,
  maxBatch: number,
  demand = 1,
): number {
  let size = 1;
  if (last && nowMs < last.leaseUntil) size = last.size * 2;
  else if (last && last.tokens === 0) size = last.size;
  size = Math.max(size, demand);
  const cap = Math.min(maxBatch, Math.max(1, Math.floor(remaining / 8)));
  return Math.max(1, Math.min(size, cap));
}

/**
 * A rate limiter that claims small batches of hits from the shared Redis window in one round
 * trip and spends them in this process, so a hot key asks Redis rarely while the limit stays
 * shared across processes.
 *
 * Accuracy: Redis never grants more than `limit` hits per window across all processes. A hit
 * is logged when claimed, up to `leaseMs` before it is spent, so it may count from a little
 * earlier than the request it admits: per window a client can get at most its limit, plus one
 * allowance per process early at the window's edge. Hits left unspent when a lease runs out
 * are returned at the key's next claim, else they expire with the window (a client moving
 * between processes may be limited up to one allowance early). Keys near their limit (less
 * than 16 hits left) and slow keys claim one hit at a time, as one round trip per hit did; a
 * denial is remembered for at most `leaseMs`, never past the moment the oldest hit leaves.
 */
export class LocalAllowanceRateLimiter implements RateLimiter {
  readonly #allowances = new Map<string, Allowance>();
  readonly #maxBatch: number;
  readonly #leaseMs?: number;
  readonly #maxKeys: number;
  #hits = 0;

  constructor(private readonly claimer: RateClaimer, options: LocalAllowanceOptions = {}) {
    this.#maxBatch = Math.min(MAX_CLAIM, Math.max(1, Math.floor(options.maxBatch ?? 64)));
    this.#leaseMs = options.leaseMs;
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  }

  /** Keys remembered now (for tests of the memory bound). */
  get size(): number {
    return this.#allowances.size;
  }

  async hit(key: string, limit: number, windowMs: number, now: Date): Promise<RateDecision> {
    const at = now.getTime();
    this.#sweep(at);
    const allowance = this.#allowances.get(key) ?? this.#remember(key, windowMs);
    for (;;) {
      // A hit that waited for a claim may be older than it: it spends the claim's hits (each
      // logged at the claim's time, so counted no earlier than the request) or its denial.
      if (allowance.tokens > 0 && at < allowance.leaseUntil) {
        allowance.tokens -= 1;
        return this.#decision(allowance, limit, at, true);
      }
      if (at < allowance.deniedUntil) {
        return this.#decision(allowance, limit, at, false);
      }
      if (allowance.inFlight) {
        allowance.waiting += 1;
        try {
          await allowance.inFlight; // its error (Redis down) is this hit's too
        } finally {
          allowance.waiting -= 1;
        }
        continue;
      }
      const claimed = this.#claim(key, allowance, limit, windowMs, at, now);
      const settled = claimed.then(() => {}).finally(() => allowance.inFlight = null);
      settled.catch(() => {}); // the waiters (if any) and this hit get the error; none is lost
      allowance.inFlight = settled;
      return this.#decision(allowance, limit, at, await claimed);
    }
  }

  /**
   * Asks Redis for the next batch, returning the unspent rest of the last, and records the
   * answer with the caller's hit already spent; true when it got one.
   */
  async #claim(
    key: string,
    allowance: Allowance,
    limit: number,
    windowMs: number,
    at: number,
    now: Date,
  ): Promise<boolean> {
    const remaining = limit - (allowance.countAtClaim - allowance.tokens);
    const last = allowance.claimId === "" ? undefined : allowance;
    const wanted = nextClaimSize(last, at, remaining, this.#maxBatch, allowance.waiting + 1);
    const release = allowance.tokens > 0
      ? { claimId: allowance.claimId, unspent: allowance.tokens }
      : undefined;
    // The released hits are gone once the claim is sent: nobody may spend them meanwhile.
    allowance.tokens = 0;
    let claim: RateClaim;
    try {
      claim = await this.claimer.claim(key, limit, windowMs, now, wanted, release);
    } catch (error) {
      // Not known to be released: offer them again at the next claim (a second ZREM is a no-op).
      if (release) allowance.tokens = release.unspent;
      throw error;
    }
    const leaseMs = this.#leaseMs ?? Math.min(250, windowMs / 20);
    // A hit that waited may start a claim older than the last one: times never go back.
    const base = Math.max(at, allowance.claimedAt);
    Object.assign(allowance, {
      tokens: Math.max(0, claim.granted - 1),
      claimId: claim.claimId,
      size: claim.granted,
      claimedAt: base,
      countAtClaim: claim.count,
      resetMsAtClaim: claim.resetMs,
      leaseUntil: claim.granted > 0 ? base + leaseMs : base,
      deniedUntil: claim.granted > 0 ? -Infinity : base + Math.min(claim.resetMs, leaseMs),
      windowMs,
    });
    if (this.#allowances.get(key) === allowance) {
      // Most recently claimed last: the first entries are the ones to drop when full.
      this.#allowances.delete(key);
      this.#allowances.set(key, allowance);
    }
    return claim.granted > 0;
  }

  #decision(allowance: Allowance, limit: number, at: number, allowed: boolean): RateDecision {
    const spent = allowance.countAtClaim - allowance.tokens;
    return {
      allowed,
      limit,
      remaining: allowed ? Math.max(0, limit - spent) : 0,
      resetMs: Math.min(
        allowance.windowMs,
        Math.max(0, allowance.resetMsAtClaim - (at - allowance.claimedAt)),
      ),
    };
  }

  #remember(key: string, windowMs: number): Allowance {
    if (this.#allowances.size >= this.#maxKeys) this.#evictOne();
    const allowance: Allowance = {
      tokens: 0,
      claimId: "",
      size: 0,
      claimedAt: -Infinity,
      countAtClaim: 0,
      resetMsAtClaim: 0,
      leaseUntil: -Infinity,
      deniedUntil: -Infinity,
      windowMs,
      inFlight: null,
      waiting: 0,
    };
    this.#allowances.set(key, allowance);
    return allowance;
  }

  /** Drops the least recently claimed key without a claim in flight (its hits expire in Redis). */
  #evictOne(): void {
    let victim: string | undefined;
    for (const [key, allowance] of this.#allowances) {
      victim ??= key;
      if (!allowance.inFlight) {
        victim = key;
        break;
      }
    }
    if (victim !== undefined) this.#allowances.delete(victim);
  }

  /** Now and then forgets keys whose last claim has left its window (Redis forgot it too). */
  #sweep(at: number): void {
    this.#hits += 1;
    if (this.#hits % SWEEP_EVERY !== 0) return;
    for (const [key, allowance] of this.#allowances) {
      const idle = at >= allowance.claimedAt + allowance.windowMs && at >= allowance.deniedUntil;
      if (idle && !allowance.inFlight) this.#allowances.delete(key);
    }
  }
}
