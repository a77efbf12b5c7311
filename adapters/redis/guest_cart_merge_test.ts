/**
 * The guest cart merge as sign-in runs it (claim on the guest key, merge on the user's key:
 * two keys in different slots, never touched by one command) on a real Redis and a cluster:
 * however many sign-ins race with one token, the guest cart is merged once.
 */
import assert from "node:assert/strict";
import { bindUseCases } from "../../application/use_cases.ts";
import { TEST_SETTINGS, testCore } from "../../testing/core.ts";
import { redisTargets } from "./_test_targets.ts";
import { RedisCartStore } from "./carts.ts";

for (const target of redisTargets()) {
  Deno.test({
    name: `guest cart merge on RedisCartStore${target.suffix}`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      const r = await target.open();
      try {
        const core = await testCore();
        const carts = new RedisCartStore(r.redis, { prefix: r.prefix });
        const useCases = bindUseCases({ ...core.ports, carts }, TEST_SETTINGS);
        const sku = "BOK-010";

        await t.step("20 sign-ins of different users with one token: one merges", async () => {
          const { token } = await useCases.createGuestCart({ sku, qty: 2 });
          const users = Array.from({ length: 20 }, () => `u-${crypto.randomUUID()}`);
          const results = await Promise.all(users.map((u) => useCases.mergeGuestCart(u, token)));
          assert.deepEqual(
            results.map((m) => m.result).filter((m) => m === "merged").length,
            1,
          );
          const held = await Promise.all(users.map(async (u) =>
            (await carts.get({
              kind: "user",
              id: u,
            })).lines[sku] ?? 0
          ));
          assert.equal(held.reduce((a, b) => a + b, 0), 2, "the guest's 2 units, once");
        });

        await t.step("20 sign-ins of one user with one token: merged once", async () => {
          const { token } = await useCases.createGuestCart({ sku, qty: 2 });
          const user = `u-${crypto.randomUUID()}`;
          await useCases.addToCart(user, { sku, qty: 1 });
          const results = await Promise.all(
            Array.from({ length: 20 }, () => useCases.mergeGuestCart(user, token)),
          );
          assert.equal(results.filter((m) => m.result === "merged").length, 1);
          assert.deepEqual((await useCases.getCart(user)).items.map((i) => i.qty), [3]);
          const gone = await useCases.mergeGuestCart(user, token);
          assert.equal(gone.result, "cart_not_found", "the token is used up");
        });
      } finally {
        await r.close();
      }
    },
  });
}
