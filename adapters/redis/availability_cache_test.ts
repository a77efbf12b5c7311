import assert from "node:assert/strict";
import { availabilityCacheContract } from "../../ports/contracts/availability_cache_contract.ts";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { tap, testRedis } from "./_testing.ts";
import { RedisAvailabilityCache } from "./availability_cache.ts";

const url = integrationUrl("REDIS_URL");

availabilityCacheContract("RedisAvailabilityCache", async () => {
  const t = await testRedis(url!);
  return { subject: new RedisAvailabilityCache(t.redis, { prefix: t.prefix }), close: t.close };
}, { ignore: !url });

Deno.test({
  name: "RedisAvailabilityCache sends single-key commands only (cluster-safe)",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const r = await testRedis(url!);
    const monitor = await tap(url!, r.redis);
    try {
      const cache = new RedisAvailabilityCache(r.redis, { prefix: r.prefix });
      const at = new Date("2030-01-01T00:00:00.000Z");
      const mk = (sku: string) =>
        newInventoryItem({ sku, name: sku, unitPriceCents: 1, currency: "USD", stock: 1 }, at);
      await cache.put(mk("A"), 60_000); // loads the script
      await monitor.reset();
      await cache.put(mk("B"), 60_000);
      await cache.getMany(["A", "B", "C"]);
      await cache.invalidate("A");
      const commands = await monitor.commands();
      assert.deepEqual(commands.map((c) => c[0]), ["evalsha", "hget", "hget", "hget", "del"]);
      assert.equal(commands[0][2], "1", "the script names one key");
    } finally {
      await monitor.close();
      await r.close();
    }
  },
});
