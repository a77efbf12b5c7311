/**
 * Which instance holds a background duty, for suites that kill it (the failover suite kills
 * "the worker holding the sync lease"). Pass the `Leases` of the deployment under test, e.g.
 * `new PostgresLeases(sql)` on its database (search_path set to its schema when it has one),
 * and compare `pid` with the pid of the process you spawned (`ChildProcess.pid`).
 */
import { parseHolder } from "../application/duties.ts";
import type { Leases } from "../ports/leases.ts";

export interface DutyHolding {
  readonly holder: string;
  /** The holder's process id; null for a holder that is not an instance (a rebuild's job). */
  readonly pid: number | null;
  readonly host: string | null;
}

/** The instance holding `duty` now (`sync:catalog`, `sync:inventory`, `expiry-sweeper`, ...). */
export async function dutyHolder(leases: Leases, duty: string): Promise<DutyHolding | null> {
  const lease = await leases.current(duty);
  if (!lease) return null;
  const parts = parseHolder(lease.holder);
  return { holder: lease.holder, pid: parts?.pid ?? null, host: parts?.host ?? null };
}

/**
 * Polls until `accept` likes the holder of `duty` (e.g. `(h) => h?.pid === survivor.pid`);
 * returns it and how long that took, or throws after `timeoutMs`.
 */
export async function waitForDutyHolder(
  leases: Leases,
  duty: string,
  accept: (holding: DutyHolding | null) => boolean,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<{ holding: DutyHolding | null; ms: number }> {
  const started = performance.now();
  for (;;) {
    const holding = await dutyHolder(leases, duty).catch(() => undefined);
    if (holding !== undefined && accept(holding)) {
      return { holding, ms: performance.now() - started };
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `${duty}: no acceptable holder within ${timeoutMs} ms (now ${holding?.holder})`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
