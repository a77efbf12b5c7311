import assert from "node:assert/strict";
import { FixedClock } from "../adapters/memory/fixed_clock.ts";
import { MemoryLeases } from "../adapters/memory/leases.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import type { Leases } from "../ports/leases.ts";
import {
  type Duty,
  type DutyDeps,
  dutyHolders,
  every,
  holderId,
  parseHolder,
  pause,
  runDuty,
} from "./duties.ts";

const TTL = 1_000;
/** Real timers tick fast; lease time moves only when the test advances a clock. */
const LEASE = { ttlMs: TTL, renewEveryMs: 5, retryEveryMs: 5 };
const silent = new JsonLogger({ silent: true });

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 2_000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A duty that records when its work starts and sees its signal abort. */
function probeDuty(name: string) {
  const seen = { starts: 0, aborts: 0, running: false };
  const duty: Duty = {
    name,
    run: async (signal) => {
      seen.starts++;
      seen.running = true;
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      seen.running = false;
      seen.aborts++;
    },
  };
  return { duty, seen };
}

/** Leases as a process sees them: `cut` makes every call fail (it lost the database). */
function reachable(leases: Leases) {
  const state = { cut: false };
  const gate = <T>(call: () => Promise<T>) =>
    state.cut ? Promise.reject(new Error("connection lost")) : call();
  const view: Leases = {
    acquire: (n, h, t) => gate(() => leases.acquire(n, h, t)),
    renew: (n, h, t) => gate(() => leases.renew(n, h, t)),
    release: (n, h) => gate(() => leases.release(n, h)),
    current: (n) => gate(() => leases.current(n)),
  };
  return { view, state };
}

function instance(name: string, leases: Leases, clock: FixedClock): DutyDeps {
  return { leases, clock, logger: silent, holder: holderId("host", 1, name) };
}

Deno.test("runDuty() on memory leases with a fixed clock", async (t) => {
  await t.step(
    "one of two instances runs the duty; the other takes over after expiry",
    async () => {
      const clock = new FixedClock();
      const leases = new MemoryLeases(clock);
      const a = reachable(leases);
      const [workA, workB] = [probeDuty("sweeper"), probeDuty("sweeper")];
      const stop = new AbortController();
      const runA = runDuty(instance("a", a.view, clock), { ...workA.duty, ...LEASE }, stop.signal);
      await until("a runs the duty", () => workA.seen.running);
      const runB = runDuty(instance("b", leases, clock), { ...workB.duty, ...LEASE }, stop.signal);
      await pause(50, new AbortController().signal);
      assert.equal(workB.seen.starts, 0, "b only asks while a renews");
      assert.equal((await leases.current("sweeper"))?.holder, "host:1:a");

      a.state.cut = true; // a is gone as far as the store is concerned
      clock.advance(TTL);
      await until("b takes the duty over", () => workB.seen.running);
      assert.equal((await leases.current("sweeper"))?.holder, "host:1:b");
      await until("a stopped its work, unable to renew in time", () => workA.seen.aborts === 1);
      assert.equal(workA.seen.running, false);

      stop.abort();
      await Promise.all([runA, runB]);
      assert.equal(workB.seen.aborts, 1);
      assert.equal(await leases.current("sweeper"), null, "b released it on stop");
    },
  );

  await t.step("the work stops when a renewal is refused: another holder took it", async () => {
    const storeClock = new FixedClock(); // PostgreSQL's clock
    const leases = new MemoryLeases(storeClock);
    const pausedClock = new FixedClock(); // a's own: it was frozen and saw no time pass
    const work = probeDuty("sync:catalog");
    const stop = new AbortController();
    const run = runDuty(
      instance("a", leases, pausedClock),
      { ...work.duty, ...LEASE },
      stop.signal,
    );
    await until("a runs the sync", () => work.seen.running);
    storeClock.advance(TTL);
    assert.equal(await leases.acquire("sync:catalog", "intruder", 60_000), true);
    await until("a stopped the work", () => work.seen.aborts === 1);
    await pause(30, new AbortController().signal);
    assert.equal(work.seen.starts, 1, "and does not start it again while the intruder holds it");
    assert.equal((await leases.current("sync:catalog"))?.holder, "intruder");

    await leases.release("sync:catalog", "intruder");
    await until("a takes the free lease again", () => work.seen.starts === 2);
    stop.abort();
    await run;
  });

  await t.step("a renewal that never answers still stops the work before expiry", async () => {
    const clock = new FixedClock();
    const leases = new MemoryLeases(clock);
    const hung: Leases = {
      ...leases,
      acquire: (n, h, ttl) => leases.acquire(n, h, ttl),
      renew: () => new Promise(() => {}), // a connection that hangs
      release: (n, h) => leases.release(n, h),
      current: (n) => leases.current(n),
    };
    const work = probeDuty("sync:catalog");
    const stop = new AbortController();
    const run = runDuty(instance("a", hung, clock), { ...work.duty, ...LEASE }, stop.signal);
    await until("running", () => work.seen.running);
    await pause(20, new AbortController().signal); // renewals sent, none answered
    assert.equal(work.seen.aborts, 0);
    clock.advance(TTL - LEASE.renewEveryMs);
    await until("stopped before the lease could lapse", () => work.seen.aborts === 1);
    stop.abort();
    await run;
  });

  await t.step("a failing heartbeat is logged, not fatal", async () => {
    const clock = new FixedClock();
    const leases = new MemoryLeases(clock);
    const work = probeDuty("pruning");
    const stop = new AbortController();
    const deps = {
      ...instance("a", leases, clock),
      onBeat: () => {
        throw new Error("disk full");
      },
    };
    const run = runDuty(deps, { ...work.duty, ...LEASE }, stop.signal);
    await until("running", () => work.seen.running);
    await pause(20, new AbortController().signal);
    assert.equal(work.seen.running, true);
    stop.abort();
    await run;
  });

  await t.step("stopping releases the lease and aborts the work", async () => {
    const clock = new FixedClock();
    const leases = new MemoryLeases(clock);
    const work = probeDuty("pruning");
    const stop = new AbortController();
    const run = runDuty(instance("a", leases, clock), { ...work.duty, ...LEASE }, stop.signal);
    await until("running", () => work.seen.running);
    stop.abort();
    await run;
    assert.equal(work.seen.aborts, 1);
    assert.equal(await leases.current("pruning"), null);
  });

  await t.step("work that fails gives the lease up and is started again", async () => {
    const clock = new FixedClock();
    const leases = new MemoryLeases(clock);
    let calls = 0;
    const stop = new AbortController();
    const holders: (string | null)[] = [];
    const run = runDuty(instance("a", leases, clock), {
      name: "flaky",
      ...LEASE,
      run: async (signal) => {
        calls++;
        if (calls === 1) throw new Error("boom");
        holders.push((await leases.current("flaky"))?.holder ?? null);
        await new Promise((r) => signal.addEventListener("abort", r));
      },
    }, stop.signal);
    await until("started twice", () => calls === 2 && holders.length === 1);
    assert.deepEqual(holders, ["host:1:a"]);
    stop.abort();
    await run;
  });

  await t.step(
    "an unreachable store is asked again, and the duty starts once it answers",
    async () => {
      const clock = new FixedClock();
      const leases = reachable(new MemoryLeases(clock));
      leases.state.cut = true;
      const work = probeDuty("sync:inventory");
      const stop = new AbortController();
      let beats = 0;
      const deps = { ...instance("a", leases.view, clock), onBeat: () => beats++ };
      const run = runDuty(deps, { ...work.duty, ...LEASE }, stop.signal);
      await until("several attempts", () => beats >= 3);
      assert.equal(work.seen.starts, 0);
      leases.state.cut = false;
      await until("running", () => work.seen.running);
      stop.abort();
      await run;
    },
  );
});

Deno.test("every() runs its task after each interval until aborted", async () => {
  const stop = new AbortController();
  let runs = 0;
  const errors: unknown[] = [];
  const run = every(5, () => {
    runs++;
    return runs === 2 ? Promise.reject(new Error("once")) : Promise.resolve();
  }, (e) => errors.push(e))(stop.signal);
  assert.equal(runs, 0, "not before the first interval");
  await until("three runs", () => runs >= 3);
  stop.abort();
  await run;
  const after = runs;
  await pause(20, new AbortController().signal);
  assert.equal(runs, after);
  assert.equal(errors.length, 1, "a failed run is reported and the next one still comes");
});

Deno.test("holderId() names host, pid and a nonce; parseHolder() reads them back", () => {
  const id = holderId("api-1", 4242, "9f3c2a1b");
  assert.equal(id, "api-1:4242:9f3c2a1b");
  assert.deepEqual(parseHolder(id), { host: "api-1", pid: 4242, nonce: "9f3c2a1b" });
  assert.equal(parseHolder("0d2f9a8e-5c1b-4e8a-9d1a-3f2b6c7d8e9f"), null, "a rebuild's job id");
});

Deno.test("dutyHolders() says who holds each duty, null when nobody does", async () => {
  const clock = new FixedClock();
  const leases = new MemoryLeases(clock);
  await leases.acquire("sync:catalog", "host:7:x", 10_000);
  assert.deepEqual(await dutyHolders({ leases }, ["sync:catalog", "pruning"]), [
    { name: "sync:catalog", holder: "host:7:x", expiresAt: new Date(clock.now().getTime() + 1e4) },
    { name: "pruning", holder: null, expiresAt: null },
  ]);
});
