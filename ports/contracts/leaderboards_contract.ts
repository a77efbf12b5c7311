import assert from "node:assert/strict";
import { dayKey } from "../../domain/analytics/revenue.ts";
import type { Leaderboards } from "../analytics/leaderboards.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `Leaderboards` keeps: scores descending, equal scores by id ascending,
 * ranks from 1. Product boards use a random far-future day per step; the customer board is
 * global, so customer steps assert positions relative to their own unique ids and check
 * `topCustomers` against `customerRank` rather than against absolute places.
 */
export function leaderboardsContract(
  label: string,
  make: MakeFixture<Leaderboards>,
  options: ContractOptions = {},
): void {
  defineContract("Leaderboards", label, make, options, async (step) => {
    await step(
      "top products of a day: units descending, ties by SKU, limited",
      async (boards) => {
        const day = randomDay();
        await boards.addProductUnits(day, [
          { sku: "SKU-C", units: 3 },
          { sku: "SKU-A", units: 5 },
          { sku: "SKU-B", units: 3 },
          { sku: "SKU-D", units: 1 },
        ]);
        assert.deepEqual(await boards.topProducts(day, 10), [
          { id: "SKU-A", score: 5, rank: 1 },
          { id: "SKU-B", score: 3, rank: 2 },
          { id: "SKU-C", score: 3, rank: 3 },
          { id: "SKU-D", score: 1, rank: 4 },
        ]);
        assert.deepEqual((await boards.topProducts(day, 2)).map((r) => r.id), ["SKU-A", "SKU-B"]);
        assert.deepEqual(await boards.topProducts(day, 0), []);
      },
    );

    await step("units accumulate across calls and within one call", async (boards) => {
      const day = randomDay();
      await boards.addProductUnits(day, [{ sku: "SKU-A", units: 2 }, { sku: "SKU-A", units: 1 }]);
      await boards.addProductUnits(day, [{ sku: "SKU-B", units: 4 }]);
      await Promise.all(
        Array.from(
          { length: 10 },
          () => boards.addProductUnits(day, [{ sku: "SKU-A", units: 1 }]),
        ),
      );
      await boards.addProductUnits(day, []);
      assert.deepEqual(await boards.topProducts(day, 10), [
        { id: "SKU-A", score: 13, rank: 1 },
        { id: "SKU-B", score: 4, rank: 2 },
      ]);
    });

    await step("negative increments take units and points back (a refund)", async (boards) => {
      const day = randomDay();
      await boards.addProductUnits(day, [{ sku: "SKU-A", units: 5 }, { sku: "SKU-B", units: 3 }]);
      await boards.addProductUnits(day, [{ sku: "SKU-A", units: -4 }]);
      assert.deepEqual(await boards.topProducts(day, 10), [
        { id: "SKU-B", score: 3, rank: 1 },
        { id: "SKU-A", score: 1, rank: 2 },
      ]);
      const user = `user-${crypto.randomUUID()}`;
      await boards.addCustomerPoints(user, 120);
      await boards.addCustomerPoints(user, -100);
      assert.equal((await boards.customerRank(user))?.score, 20);
    });

    await step("days are separate; an unknown day is empty", async (boards) => {
      const day = randomDay();
      const other = randomDay();
      await boards.addProductUnits(day, [{ sku: "SKU-A", units: 1 }]);
      await boards.addProductUnits(other, [{ sku: "SKU-B", units: 2 }]);
      assert.deepEqual(await boards.topProducts(day, 10), [{ id: "SKU-A", score: 1, rank: 1 }]);
      assert.deepEqual(await boards.topProducts(randomDay(), 10), []);
    });

    await step("customer points accumulate; ranks order by points, then id", async (boards) => {
      const base = `user-${crypto.randomUUID()}`;
      const top = 1e12 + Math.floor(Math.random() * 1e9);
      const [a, b, c, d] = ["a", "b", "c", "d"].map((s) => `${base}-${s}`);
      await boards.addCustomerPoints(c, top - 10);
      await boards.addCustomerPoints(a, top - 40);
      await boards.addCustomerPoints(a, 40);
      await boards.addCustomerPoints(b, top);
      await Promise.all(Array.from({ length: 10 }, () => boards.addCustomerPoints(d, 1)));
      const ra = await boards.customerRank(a);
      const rb = await boards.customerRank(b);
      const rc = await boards.customerRank(c);
      const rd = await boards.customerRank(d);
      assert.ok(ra && rb && rc && rd);
      assert.deepEqual([ra.id, ra.score, rb.score, rc.score, rd.score], [
        a,
        top,
        top,
        top - 10,
        10,
      ]);
      assert.equal(rb.rank, ra.rank + 1, "equal points: the smaller id ranks first");
      assert.ok(rc.rank > rb.rank && rd.rank > rc.rank);
      assert.ok(ra.rank >= 1);
      const listed = await boards.topCustomers(rc.rank + 1);
      assert.ok(listed.length <= rc.rank + 1);
      listed.forEach((r, i) => assert.equal(r.rank, i + 1));
      for (let i = 1; i < listed.length; i++) {
        const [p, q] = [listed[i - 1], listed[i]];
        assert.ok(p.score > q.score || (p.score === q.score && p.id < q.id), "ordered");
      }
      assert.deepEqual(listed[ra.rank - 1], ra);
      assert.deepEqual(listed[rb.rank - 1], rb);
      assert.deepEqual(listed[rc.rank - 1], rc);
      assert.deepEqual(await boards.topCustomers(0), []);
    });

    await step("customerRank is null for an unknown customer", async (boards) => {
      assert.equal(await boards.customerRank(`user-${crypto.randomUUID()}`), null);
    });
  });
}

/** A random UTC day between the years 3000 and 9000: no other data lives there. */
function randomDay(): string {
  const from = Date.UTC(3000, 0, 1);
  const to = Date.UTC(9000, 0, 1);
  return dayKey(new Date(from + Math.floor(Math.random() * (to - from))));
}
