import assert from "node:assert/strict";
import { CART_TTL_MS, GUEST_CART_TTL_MS } from "../../domain/cart/cart.ts";
import { CartNotFound } from "../../domain/errors.ts";
import { cartGuestContract } from "../../ports/contracts/cart_guest_contract.ts";
import { cartStoreContract } from "../../ports/contracts/cart_store_contract.ts";
import { guestCart, userCart } from "../../ports/cart/carts.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { redisTargets } from "./_test_targets.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisCartStore } from "./carts.ts";

const url = integrationUrl("REDIS_URL");
const U1 = userCart("u1");
const lines = async (cart: Promise<{ lines: unknown }>) => (await cart).lines;

for (const target of redisTargets()) {
  const fresh = async () => {
    const t = await target.open();
    return { subject: new RedisCartStore(t.redis, { prefix: t.prefix }), close: t.close };
  };
  cartStoreContract(`RedisCartStore${target.suffix}`, fresh, { ignore: !target.available });
  cartGuestContract(`RedisCartStore${target.suffix}`, fresh, { ignore: !target.available });

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
          await carts.add(U1, "A", 1);
          const ttl = await r.redis.pttl(key);
          assert.ok(ttl > CART_TTL_MS - 5_000 && ttl <= CART_TTL_MS, `pttl ${ttl}`);
          await r.redis.pexpire(key, 60_000);
          await lines(carts.get(U1));
          assert.ok(await r.redis.pttl(key) <= 60_000, "get() refreshed the expiry");
          for (
            const change of [
              () => carts.add(U1, "A", 1),
              () => carts.set(U1, "B", 2),
              () => carts.remove(U1, "B"),
              () => carts.add(U1, "A", -1),
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

      await t.step("a guest cart gets a 7-day expiry, refreshed by each change", async () => {
        const r = await target.open();
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
          const key = `${r.prefix}guest-cart:g1`;
          await carts.createGuest("g1", "A", 1);
          const ttl = await r.redis.pttl(key);
          assert.ok(ttl > GUEST_CART_TTL_MS - 5_000 && ttl <= GUEST_CART_TTL_MS, `pttl ${ttl}`);
          await r.redis.pexpire(key, 60_000);
          await carts.get(guestCart("g1"));
          assert.ok(await r.redis.pttl(key) <= 60_000, "get() refreshed the expiry");
          await carts.set(guestCart("g1"), "B", 2);
          const after = await r.redis.pttl(key);
          assert.ok(after > GUEST_CART_TTL_MS - 5_000 && after <= GUEST_CART_TTL_MS, `${after}`);
        } finally {
          await r.close();
        }
      });

      await t.step("a guest cart is gone once its TTL passes (real time)", async () => {
        const r = await target.open();
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix, guestTtlMs: 200 });
          await carts.createGuest("g1", "A", 2);
          await new Promise((resolve) => setTimeout(resolve, 400));
          await assert.rejects(carts.get(guestCart("g1")), CartNotFound);
          await assert.rejects(carts.add(guestCart("g1"), "A", 1), CartNotFound);
        } finally {
          await r.close();
        }
      });

      await t.step("a cart is gone once its TTL passes (real time)", async () => {
        const r = await target.open();
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix, ttlMs: 200 });
          await carts.add(U1, "A", 2);
          await new Promise((resolve) => setTimeout(resolve, 400));
          assert.deepEqual(await lines(carts.get(U1)), {});
          assert.deepEqual(
            await lines(carts.add(U1, "B", 1)),
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
      "a write is one EVALSHA; a decrement to 0 drops the line, the version stays",
      async () => {
        const r = await testRedis(url!);
        const monitor = await tap(url!, r.redis);
        try {
          const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
          await monitor.reset();
          await carts.add(U1, "A", 3);
          const sent = (await monitor.commands()).map((c) => c[0]);
          assert.deepEqual(sent.filter((c) => c !== "eval"), ["evalsha"]);
          assert.deepEqual(await carts.add(U1, "A", -3), { lines: {}, version: 2 });
          assert.deepEqual(await r.redis.hgetall(`${r.prefix}cart:u1`), { "#v": "2" });
        } finally {
          await monitor.close();
          await r.close();
        }
      },
    );
  },
});
