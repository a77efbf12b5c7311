import assert from "node:assert/strict";
import { SharedReads } from "./shared_reads.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

Deno.test("SharedReads", async (t) => {
  await t.step("identical reads in flight share one load; others load on their own", async () => {
    const reads = new SharedReads<string>();
    let loads = 0;
    const gate = deferred<string>();
    const load = () => (loads++, gate.promise);
    const a = reads.read("q", 0, load);
    const b = reads.read("q", 0, load);
    const other = reads.read("r", 0, () => (loads++, Promise.resolve("r")));
    gate.resolve("q");
    assert.deepEqual(await Promise.all([a, b, other]), ["q", "q", "r"]);
    assert.equal(loads, 2);
  });

  await t.step("without reuse, a read after the answer loads again", async () => {
    const reads = new SharedReads<number>();
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    assert.equal(await reads.read("q", 0, load), 1);
    assert.equal(await reads.read("q", 0, load), 2);
    assert.equal(reads.size, 0, "nothing is kept once answered");
  });

  await t.step(
    "with reuse, the answer serves for reuseMs after it arrived, then reloads",
    async () => {
      let now = 1_000;
      const reads = new SharedReads<number>(1_000, () => now);
      let loads = 0;
      const load = () => Promise.resolve(++loads);
      assert.equal(await reads.read("q", 200, load), 1);
      now += 199;
      assert.equal(await reads.read("q", 200, load), 1, "199 ms later: reused");
      now += 1;
      assert.equal(await reads.read("q", 200, load), 2, "200 ms later: loaded afresh");
    },
  );

  await t.step("a failed load is never reused", async () => {
    const reads = new SharedReads<number>(1_000, () => 0);
    let loads = 0;
    const failing = () => (loads++, Promise.reject(new Error("down")));
    await assert.rejects(reads.read("q", 60_000, failing), /down/);
    assert.equal(await reads.read("q", 60_000, () => (loads++, Promise.resolve(7))), 7);
    assert.equal(loads, 2);
  });

  await t.step("at most maxKeys reads are remembered, the oldest dropped first", async () => {
    const reads = new SharedReads<string>(3, () => 0);
    let loads = 0;
    const load = (k: string) => () => (loads++, Promise.resolve(k));
    for (const k of ["a", "b", "c", "d"]) await reads.read(k, 60_000, load(k));
    assert.equal(reads.size, 3);
    await reads.read("d", 60_000, load("d"));
    assert.equal(loads, 4, "d is still remembered");
    await reads.read("a", 60_000, load("a"));
    assert.equal(loads, 5, "a, the oldest, was dropped");
  });
});
