import assert from "node:assert/strict";
import { rateLimiterContract } from "../../ports/contracts/rate_limiter_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisRateLimiter } from "./rate_limiter.ts";

const url = integrationUrl("REDIS_URL");

rateLimiterContract("RedisRateLimiter", async () => {
  const t = await testRedis(url!);
  return { subject: new RedisRateLimiter(t.redis, { prefix: t.prefix }), close: t.close };
}, { ignore: !url });

Deno.test({
  name: "RedisRateLimiter",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("each hit is exactly one EVALSHA; the script is loaded once", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
        await limiter.hit("warm", 10, 1_000, new Date()); // may SCRIPT LOAD
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

    await t.step("after SCRIPT FLUSH (NOSCRIPT) it reloads the script and answers", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const limiter = new RedisRateLimiter(r.redis, { prefix: r.prefix });
        assert.equal((await limiter.hit("k", 2, 60_000, new Date())).remaining, 1);
        await r.redis.script("FLUSH");
        await monitor.reset();
        const after = await limiter.hit("k", 2, 60_000, new Date());
        assert.deepEqual([after.allowed, after.remaining], [true, 0]);
        const sent = (await monitor.commands()).map((c) => c.slice(0, 2).join(" ").toLowerCase());
        assert.equal(sent.length, 3, sent.join(", "));
        assert.match(sent[0], /^evalsha /);
        assert.equal(sent[1], "script load");
        assert.match(sent[2], /^evalsha /);
        await monitor.reset();
        await limiter.hit("k", 2, 60_000, new Date());
        assert.deepEqual((await monitor.commands()).map((c) => c[0]), ["evalsha"]);
      } finally {
        await monitor.close();
        await r.close();
      }
    });

    await t.step("100 hits in the same millisecond are 100 distinct members", async () => {
      const r = await testRedis(url!);
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
  },
});
