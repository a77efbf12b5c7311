import assert from "node:assert/strict";
import { CART_TTL_MS } from "../../domain/cart/cart.ts";
import { cartStoreContract } from "../../ports/contracts/cart_store_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { redisTargets } from "./_test_targets.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisCartStore } from "./carts.ts";

const url = integrationUrl("REDIS_URL");

for (const target of redisTargets()) {
  cartStoreContract(`RedisCartStore${target.suffix}`, async () => {
    const t = await target.open();
    return { subject: new RedisCartStore(t.redis, { prefix: t.prefix }), close: t.close };
  }, { ignore: !target.available });

  Deno.test({
    name: `RedisCartStore${target.suffix}: expiry`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step("a change sets a 30-day expiry; reading does not refresh it", async () => {
        const r = await target.open();
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
          const key = `${r.prefix}cart:u1`;
          await carts.add("u1", "A", 1);
          const ttl = await r.redis.pttl(key);
          assert.ok(ttl > CART_TTL_MS - 5_000 && ttl <= CART_TTL_MS, `pttl ${ttl}`);
          await r.redis.pexpire(key, 60_000);
          await carts.get("u1");
          assert.ok(await r.redis.pttl(key) <= 60_000, "get() refreshed the expiry");
          for (
            const change of [
              () => carts.add("u1", "A", 1),
              () => carts.set("u1", "B", 2),
              () => carts.remove("u1", "B"),
              () => carts.add("u1", "A", -1),
            ]
          ) {
            await r.redis.pexpire(key, 60_000);
            await change();
            assert.ok(await r.redis.pttl(key) > CART_TTL_MS - 5_000, "a change refreshes it");
          }
        } finally {
          await r.close();
        }
      });

      await t.step("a cart is gone once its TTL passes (real time)", async () => {
        const r = await target.open();
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix, ttlMs: 200 });
          await carts.add("u1", "A", 2);
          await new Promise((resolve) => setTimeout(resolve, 400));
          assert.deepEqual(await carts.get("u1"), {});
          assert.deepEqual(
            await carts.add("u1", "B", 1),
            { B: 1 },
            "an expired cart starts afresh",
          );
        } finally {
          await r.close();
        }
      });
    },
  });
}

Deno.test({
  name: "RedisCartStore",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step(
      "add is HINCRBY + PEXPIRE in one MULTI; a decrement to 0 drops the line",
      async () => {
        const r = await testRedis(url!);
        const monitor = await tap(url!, r.redis);
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
          await monitor.reset();
          await carts.add("u1", "A", 3);
          const sent = (await monitor.commands()).map((c) => c[0]);
          assert.deepEqual(sent, ["multi", "hincrby", "pexpire", "hgetall", "exec"]);
          assert.deepEqual(await carts.add("u1", "A", -3), {});
          assert.equal(await r.redis.exists(`${r.prefix}cart:u1`), 0);
        } finally {
          await monitor.close();
          await r.close();
        }
      },
    );
  },
});
