import assert from "node:assert/strict";
import { rateLimiterContract } from "../../ports/contracts/rate_limiter_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { redisTargets } from "./_test_targets.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisRateLimiter } from "./rate_limiter.ts";

const url = integrationUrl("REDIS_URL");

for (const target of redisTargets()) {
  rateLimiterContract(`RedisRateLimiter${target.suffix}`, async () => {
    const t = await target.open();
    return { subject: new RedisRateLimiter(t.redis, { prefix: t.prefix }), close: t.close };
  }, { ignore: !target.available });

  Deno.test({
    name: `RedisRateLimiter${target.suffix}`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("100 hits in the same millisecond are 100 distinct members", async () => {
        const r = await target.open();
        try {
          const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
          const now = new Date();
          const decisions = await Promise.all(
            Array.from({ length: 100 }, () => limiter.hit("burst", 1_000, 60_000, now)),
          );
          assert.ok(decisions.every((d) => d.allowed));
          assert.equal(await r.redis.zcard(`${r.prefix}rate:burst`), 100);
          const ttl = await r.redis.pttl(`${r.prefix}rate:burst`);
          assert.ok(ttl > 0 && ttl <= 60_000, `the log expires with its window (pttl ${ttl})`);
        } finally {
          await r.close();
        }
      });

      await t.step(
        "claim: grants what fits, logs <claimId>:<i> at now, expires with the window",
        async () => {
          const r = await target.open();
          try {
            const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
            const log = `${r.prefix}rate:batch`;
            const t0 = Date.now();
            const first = await limiter.claim("batch", 10, 60_000, new Date(t0), 4);
            assert.deepEqual([first.granted, first.count, first.resetMs], [4, 4, 60_000]);
            const members = await r.redis.zrange(log, 0, -1, "WITHSCORES");
            assert.deepEqual(
              Object.fromEntries(
                Array.from({ length: 4 }, (_, i) => [members[2 * i], members[2 * i + 1]]),
              ),
              Object.fromEntries([0, 1, 2, 3].map((i) => [`${first.claimId}:${i}`, String(t0)])),
            );
            const ttl = await r.redis.pttl(log);
            assert.ok(ttl > 59_000 && ttl <= 60_000, `pttl ${ttl}`);

            const partial = await limiter.claim("batch", 10, 60_000, new Date(t0 + 1_000), 8);
            assert.deepEqual([partial.granted, partial.count, partial.resetMs], [6, 10, 59_000]);
            const full = await limiter.claim("batch", 10, 60_000, new Date(t0 + 2_000), 1);
            assert.deepEqual([full.granted, full.count, full.resetMs], [0, 10, 58_000]);
            const late = await limiter.hit("batch", 10, 60_000, new Date(t0 + 2_000));
            assert.deepEqual([late.allowed, late.remaining], [false, 0], "hit() counts the claims");
          } finally {
            await r.close();
          }
        },
      );

      await t.step(
        "claim: a release removes exactly the unspent members of that claim",
        async () => {
          const r = await target.open();
          try {
            const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
            const log = `${r.prefix}rate:release`;
            const t0 = Date.now();
            await limiter.hit("release", 10, 60_000, new Date(t0));
            const a = await limiter.claim("release", 10, 60_000, new Date(t0), 5);
            const b = await limiter.claim("release", 10, 60_000, new Date(t0 + 10), 2, {
              claimId: a.claimId,
              unspent: 3,
            });
            assert.deepEqual([b.granted, b.count], [2, 5], "1 hit + 2 spent of a + 2 of b");
            const left = (await r.redis.zrange(log, 0, -1)).filter((m) => !/^\d+:/.test(m));
            assert.deepEqual(
              left.sort(),
              [
                `${a.claimId}:3`,
                `${a.claimId}:4`,
                `${b.claimId}:0`,
                `${b.claimId}:1`,
              ].sort(),
            );
            const again = await limiter.claim("release", 5, 60_000, new Date(t0 + 20), 3, {
              claimId: b.claimId,
              unspent: 2,
            });
            assert.deepEqual(
              [again.granted, again.count],
              [2, 5],
              "released room is claimable again",
            );
            assert.equal(await r.redis.zcard(log), 5);
            await assert.rejects(limiter.claim("release", 5, 60_000, new Date(), 0), RangeError);
          } finally {
            await r.close();
          }
        },
      );
    },
  });
}

Deno.test({
  name: "RedisRateLimiter: commands sent",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("each hit is exactly one EVALSHA once the server has the script", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
        await limiter.hit("warm", 10, 1_000, new Date()); // may EVAL it once
        await monitor.reset();
        const now = Date.now();
        for (let i = 0; i < 5; i++) await limiter.hit("k", 3, 1_000, new Date(now + i));
        await Promise.all(
          Array.from({ length: 5 }, () => limiter.hit("k2", 3, 1_000, new Date(now))),
        );
        const sent = await monitor.commands();
        assert.deepEqual(sent.map((c) => c[0]), Array(10).fill("evalsha"));
      } finally {
        await monitor.close();
        await r.close();
      }
    });

    await t.step(
      "after SCRIPT FLUSH (NOSCRIPT) it sends the script as EVAL and answers",
      async () => {
        const r = await testRedis(url!);
        const monitor = await tap(url!, r.redis);
        try {
          const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
          assert.equal((await limiter.hit("k", 2, 60_000, new Date())).remaining, 1);
          await r.redis.script("FLUSH");
          await monitor.reset();
          const after = await limiter.hit("k", 2, 60_000, new Date());
          assert.deepEqual([after.allowed, after.remaining], [true, 0]);
          const sent = (await monitor.commands()).map((c) => c[0]);
          assert.deepEqual(sent, ["evalsha", "eval"]);
          await monitor.reset();
          await limiter.hit("k", 2, 60_000, new Date());
          assert.deepEqual((await monitor.commands()).map((c) => c[0]), ["evalsha"]);
        } finally {
          await monitor.close();
          await r.close();
        }
      },
    );
  },
});
