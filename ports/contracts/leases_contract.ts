import assert from "node:assert/strict";
import type { JobLog, JobRecord, Leases } from "../leases.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaseName = () => `duty-${crypto.randomUUID()}`;

export function leasesContract(
  label: string,
  make: MakeFixture<Leases>,
  options: ContractOptions = {},
): void {
  defineContract("Leases", label, make, options, async (step) => {
    await step("two holders: only the first acquires until it releases", async (leases) => {
      const name = leaseName();
      assert.equal(await leases.acquire(name, "a", 10_000), true);
      assert.equal(await leases.acquire(name, "b", 10_000), false);
      assert.equal((await leases.current(name))?.holder, "a");
      await leases.release(name, "b"); // not b's to release
      assert.equal(await leases.acquire(name, "b", 10_000), false);
      await leases.release(name, "a");
      assert.equal(await leases.current(name), null);
      assert.equal(await leases.acquire(name, "b", 10_000), true);
      assert.equal((await leases.current(name))?.holder, "b");
    });

    await step("the holder acquiring again extends its lease", async (leases) => {
      const name = leaseName();
      assert.equal(await leases.acquire(name, "a", 1_000), true);
      const first = (await leases.current(name))!.expiresAt.getTime();
      assert.equal(await leases.acquire(name, "a", 60_000), true);
      assert.ok((await leases.current(name))!.expiresAt.getTime() > first);
    });

    await step("an expired lease is taken over by another holder", async (leases) => {
      const name = leaseName();
      assert.equal(await leases.acquire(name, "dead", 100), true);
      await sleep(250);
      assert.equal(await leases.current(name), null);
      assert.equal(await leases.acquire(name, "next", 10_000), true);
      assert.equal((await leases.current(name))?.holder, "next");
      assert.equal(await leases.renew(name, "dead", 10_000), false);
    });

    await step("renew() extends the holder's lease and is refused to others", async (leases) => {
      const name = leaseName();
      assert.equal(await leases.renew(name, "a", 10_000), false, "no lease to renew");
      assert.equal(await leases.acquire(name, "a", 300), true);
      assert.equal(await leases.renew(name, "b", 10_000), false);
      await sleep(150);
      assert.equal(await leases.renew(name, "a", 400), true);
      await sleep(250); // past the first TTL, within the renewed one
      assert.equal(await leases.acquire(name, "b", 10_000), false);
      assert.equal((await leases.current(name))?.holder, "a");
    });

    await step("leases with different names are independent", async (leases) => {
      const [x, y] = [leaseName(), leaseName()];
      assert.equal(await leases.acquire(x, "a", 10_000), true);
      assert.equal(await leases.acquire(y, "b", 10_000), true);
      assert.equal(await leases.current(`${x}-unknown`), null);
    });

    await step("of many holders racing for a free lease exactly one wins", async (leases) => {
      const name = leaseName();
      const wins = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leases.acquire(name, `h${i}`, 10_000)),
      );
      assert.equal(wins.filter(Boolean).length, 1);
    });
  });
}

const T0 = new Date("2030-01-01T00:00:00.000Z");

export function jobLogContract(
  label: string,
  make: MakeFixture<JobLog>,
  options: ContractOptions = {},
): void {
  defineContract("JobLog", label, make, options, async (step) => {
    await step("latest() is null before any run and the last save after", async (jobs) => {
      const name = leaseName();
      assert.equal(await jobs.latest(name), null);
      const running: JobRecord = {
        name,
        id: "job-1",
        status: "running",
        progress: 0,
        startedAt: T0,
        finishedAt: null,
        error: null,
      };
      await jobs.save(running);
      assert.deepEqual(await jobs.latest(name), running);
      const failed: JobRecord = {
        ...running,
        status: "failed",
        progress: 42,
        finishedAt: new Date(T0.getTime() + 5_000),
        error: "boom",
      };
      await jobs.save(failed);
      assert.deepEqual(await jobs.latest(name), failed);
      const next: JobRecord = { ...running, id: "job-2", startedAt: new Date(T0.getTime() + 9e3) };
      await jobs.save(next);
      assert.deepEqual(await jobs.latest(name), next);
      assert.equal(await jobs.latest(`${name}-other`), null);
    });
  });
}
