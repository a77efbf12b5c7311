import assert from "node:assert/strict";
import { leaderboardsContract } from "../../ports/contracts/leaderboards_contract.ts";
import { redisTargets } from "./_test_targets.ts";
import { RedisLeaderboards } from "./leaderboards.ts";

for (const target of redisTargets()) {
  leaderboardsContract(`RedisLeaderboards${target.suffix}`, async () => {
    const t = await target.open();
    return { subject: new RedisLeaderboards(t.redis, { prefix: t.prefix }), close: t.close };
  }, { ignore: !target.available });

  Deno.test({
    name: `RedisLeaderboards${target.suffix}`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("a day's board expires; the customer board is kept", async () => {
        const r = await target.open();
        try {
          const boards = new RedisLeaderboards(r.redis, {
            prefix: r.prefix,
            productBoardTtlMs: 86_400_000,
          });
          await boards.addProductUnits("2030-01-01", [{ sku: "A", units: 2 }]);
          await boards.addCustomerPoints("u1", 5);
          const ttl = await r.redis.pttl(`${r.prefix}board:products:2030-01-01`);
          assert.ok(ttl > 86_000_000 && ttl <= 86_400_000, `pttl ${ttl}`);
          assert.equal(await r.redis.pttl(`${r.prefix}board:customers`), -1);
          assert.deepEqual(await boards.customerRank("u1"), { id: "u1", score: 5, rank: 1 });
        } finally {
          await r.close();
        }
      });

      await t.step("a zero score is 0, not -0", async () => {
        const r = await target.open();
        try {
          const boards = new RedisLeaderboards(r.redis, { prefix: r.prefix });
          await boards.addCustomerPoints("u0", 0);
          assert.ok(Object.is((await boards.customerRank("u0"))?.score, 0));
          assert.ok(Object.is((await boards.topCustomers(1))[0].score, 0));
        } finally {
          await r.close();
        }
      });
    },
  });
}
