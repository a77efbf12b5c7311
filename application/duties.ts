/**
 * Background duties (the expiry sweeper, each sync feed, pruning) run once at a time across
 * every API and worker instance: each runs under a lease (ports/leases.ts, in PostgreSQL on
 * its own clock) that its holder renews while it works. When the holder dies its lease expires
 * and a surviving instance, which keeps asking, takes the duty over. An instance that learns
 * it lost the lease (a renewal refused: another holder has it) or cannot confirm it in time
 * (the store unreachable) stops the work before the lease can expire; overlap in between is
 * harmless because every duty is idempotent (versioned sync, SKIP LOCKED sweeps, pruning).
 */
import type { Clock } from "../ports/clock.ts";
import type { Leases } from "../ports/leases.ts";
import type { Logger } from "../ports/logger.ts";

export interface DutyLeaseSettings {
  /** A holder that stops renewing loses the duty this long after its last renewal. */
  readonly ttlMs: number;
  /** How often the holder renews; well within `ttlMs` (at most half of it). */
  readonly renewEveryMs: number;
  /** How often an instance not holding the duty asks for it. Default `renewEveryMs`. */
  readonly retryEveryMs?: number;
}

export interface Duty {
  /** The lease's name, one per duty across the deployment (`sync:catalog`, ...). */
  readonly name: string;
  /**
   * The work, running until `signal` aborts (the lease lost, or shutdown). Returning or
   * throwing before that gives the lease up, so another instance (or this one) starts afresh.
   */
  run(signal: AbortSignal): Promise<void>;
}

export interface DutyDeps {
  readonly leases: Leases;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This instance's holder id (`holderId()`), the same for all of its duties. */
  readonly holder: string;
  /** Hears every turn of the runner (acquisition attempts and renewals): a liveness beat. */
  readonly onBeat?: () => void;
}

/** `host:pid:nonce`: who holds a duty, readable by an operator and by tests that kill it. */
export function holderId(host: string, pid: number, nonce: string): string {
  return `${host}:${pid}:${nonce}`;
}

/** The parts of a `holderId()`; null for other holders (a rebuild's job id). */
export function parseHolder(holder: string): { host: string; pid: number; nonce: string } | null {
  const match = /^(.+):(\d+):([^:]+)$/.exec(holder);
  return match ? { host: match[1], pid: Number(match[2]), nonce: match[3] } : null;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A duty's work that runs `task` every `intervalMs` (the first after one interval). */
export function every(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    while (!signal.aborted) {
      await pause(intervalMs, signal);
      if (signal.aborted) return;
      try {
        await task();
      } catch (error) {
        onError(error);
      }
    }
  };
}

/**
 * Runs `duty` whenever this instance holds its lease, until `stop` aborts: asks for the lease
 * every `retryEveryMs`; once held, starts the work and renews every `renewEveryMs`; stops the
 * work when the lease is lost, and gives the lease up when the work ends or on `stop`.
 */
export async function runDuty(
  deps: DutyDeps,
  duty: Duty & DutyLeaseSettings,
  stop: AbortSignal,
): Promise<void> {
  const retryMs = duty.retryEveryMs ?? duty.renewEveryMs;
  while (!stop.aborted) {
    const askedAt = deps.clock.now().getTime();
    let held = false;
    try {
      held = await deps.leases.acquire(duty.name, deps.holder, duty.ttlMs);
    } catch (error) {
      deps.logger.warn("duty lease unavailable", { duty: duty.name, error: String(error) });
    }
    beat(deps);
    if (held && !stop.aborted) await hold(deps, duty, stop, askedAt);
    else if (held) await release(deps, duty.name);
    await pause(retryMs, stop);
  }
}

async function hold(
  deps: DutyDeps,
  duty: Duty & DutyLeaseSettings,
  stop: AbortSignal,
  confirmedAt: number,
): Promise<void> {
  const fields = { duty: duty.name, holder: deps.holder };
  deps.logger.info("duty taken", fields);
  const work = new AbortController();
  const onStop = () => work.abort();
  stop.addEventListener("abort", onStop, { once: true });
  let lost = false;
  const lose = (reason: string) => {
    if (lost) return;
    lost = true;
    deps.logger.warn("duty lease lost; stopping its work", { ...fields, reason });
    work.abort();
  };
  // Stop before the lease can expire when renewals go unanswered: by then another instance
  // may take the duty. A renewal counts from when it was sent (the store's expiry is later).
  const deadline = duty.ttlMs - duty.renewEveryMs;
  let renewing = false;
  const renewal = setInterval(() => {
    if (work.signal.aborted) return;
    if (deps.clock.now().getTime() - confirmedAt >= deadline) {
      return lose("not renewed in time (lease store unreachable)");
    }
    if (renewing) return; // a renewal still on its way (a hung connection): wait for it
    renewing = true;
    const sentAt = deps.clock.now().getTime();
    deps.leases.renew(duty.name, deps.holder, duty.ttlMs)
      .then((renewed) => {
        if (renewed) confirmedAt = sentAt;
        else lose("another instance holds it");
      })
      .catch((error) =>
        deps.logger.warn("duty lease renewal failed", { ...fields, error: `${error}` })
      )
      .finally(() => {
        renewing = false;
        beat(deps);
      });
  }, duty.renewEveryMs);
  try {
    await duty.run(work.signal);
    if (!work.signal.aborted) deps.logger.warn("duty ended on its own; giving it up", fields);
  } catch (error) {
    deps.logger.error("duty failed; giving it up", { ...fields, error: String(error) });
  } finally {
    clearInterval(renewal);
    stop.removeEventListener("abort", onStop);
    work.abort();
  }
  if (!lost) await release(deps, duty.name);
}

function beat(deps: DutyDeps): void {
  try {
    deps.onBeat?.();
  } catch (error) {
    deps.logger.warn("duty heartbeat failed", { error: String(error) });
  }
}

async function release(deps: DutyDeps, name: string): Promise<void> {
  try {
    await deps.leases.release(name, deps.holder);
    deps.logger.info("duty released", { duty: name, holder: deps.holder });
  } catch (error) {
    // It expires on its own within the TTL.
    deps.logger.warn("duty lease not released", { duty: name, error: String(error) });
  }
}

/** Runs every duty under its lease until `stop` aborts; settles once all have let go. */
export function runDuties(
  deps: DutyDeps,
  duties: readonly Duty[],
  lease: DutyLeaseSettings,
  stop: AbortSignal,
): Promise<void> {
  return Promise.all(duties.map((duty) => runDuty(deps, { ...lease, ...duty }, stop)))
    .then(() => {});
}

export interface DutyHolder {
  readonly name: string;
  /** The holder id (`host:pid:nonce`; a rebuild's job id), null when nobody holds it. */
  readonly holder: string | null;
  readonly expiresAt: Date | null;
}

/** Who holds each of the named duties right now, as every instance sees it. */
export function dutyHolders(
  deps: { readonly leases: Leases },
  names: readonly string[],
): Promise<DutyHolder[]> {
  return Promise.all(names.map(async (name) => {
    const lease = await deps.leases.current(name);
    return { name, holder: lease?.holder ?? null, expiresAt: lease?.expiresAt ?? null };
  }));
}
