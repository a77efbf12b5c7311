import assert from "node:assert/strict";
import { MemoryAvailabilityCache } from "../../adapters/memory/availability_cache.ts";
import { Outage } from "../../adapters/memory/outage.ts";
import { syncOnce } from "../search/sync_catalog.ts";
import { bindUseCases } from "../use_cases.ts";
import { TEST_SETTINGS, testCore } from "../../testing/core.ts";

/** The memory core with an availability cache, as the Redis composition wires it. */
async function cachedCore() {
  const core = await testCore();
  const outage = new Outage();
  const availability = new MemoryAvailabilityCache(core.clock, { outage });
  const ports = { ...core.ports, availability };
  const useCases = bindUseCases(ports, TEST_SETTINGS);
  const sync = () =>
    syncOnce({ ...ports, state: ports.syncState }, core.changes, {
      batchSize: 1_000,
      waitMs: 0,
      attempts: 1,
      backoffMs: 0,
    });
  return { ...core, ports, availability, outage, useCases, sync };
}

Deno.test("the availability cache on the product and cart paths", async (t) => {
  await t.step("the sync writes each SKU's current level from the outbox", async () => {
    const core = await cachedCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-001-32-1024", qty: 4 }] });
    await core.sync();
    const cached = (await core.availability.getMany(["LAP-001-32-1024"])).get("LAP-001-32-1024");
    assert.deepEqual([cached?.stock, cached?.reserved], [184, 4]);
  });

  await t.step("shopper reads take the cached level; checkout still reads the store", async () => {
    const core = await cachedCore();
    const real = (await core.ports.inventory.get("BOK-010"))!;
    // A level only the cache holds proves where the read came from.
    await core.availability.put({ ...real, reserved: real.stock - 2 }, 60_000);
    await core.useCases.addToCart("u", { sku: "BOK-010", qty: 1 });
    const cart = await core.useCases.getCart("u");
    assert.equal(cart.items[0].available, 2);
    await assert.rejects(core.useCases.addToCart("u", { sku: "BOK-010", qty: 5 }));
    const order = await core.useCases.placeOrder({
      userId: "u",
      items: [{ sku: "BOK-010", qty: 10 }],
    });
    assert.equal(order.status, "pending", "checkout decides from the store, not the cache");
  });

  await t.step("with the cache down the same reads come from the store", async () => {
    const core = await cachedCore();
    const real = (await core.ports.inventory.get("BOK-010"))!;
    await core.availability.put({ ...real, reserved: real.stock }, 60_000);
    core.outage.down = true;
    await core.useCases.addToCart("u", { sku: "BOK-010", qty: 3 });
    assert.equal((await core.useCases.getCart("u")).items[0].available, real.stock);
    assert.deepEqual((await core.useCases.getProduct("BOK-010")).availability, {
      available: real.stock,
      inStock: true,
    });
  });

  await t.step("an admin stock change drops the entry: shoppers see it at once", async () => {
    const core = await cachedCore();
    await core.availability.put((await core.ports.inventory.get("HDP-001"))!, 60_000);
    await core.useCases.adjustInventory("HDP-001", { stock: 5 });
    assert.equal((await core.availability.getMany(["HDP-001"])).size, 0);
    assert.equal((await core.useCases.getProduct("HDP-001")).availability.available, 5);
  });

  await t.step("a catalog price change drops the entry too", async () => {
    const core = await cachedCore();
    await core.availability.put((await core.ports.inventory.get("BOK-010"))!, 60_000);
    await core.useCases.updateProduct("BOK-010", { priceCents: 2_500 });
    assert.equal((await core.availability.getMany(["BOK-010"])).size, 0);
    await core.useCases.addToCart("u", { sku: "BOK-010", qty: 1 });
    assert.equal((await core.useCases.getCart("u")).items[0].unitPriceCents, 2_500);
  });

  await t.step("a variant repriced through its product drops the variant's entry", async () => {
    const core = await cachedCore();
    const sku = "TSH-001-M-WHITE";
    await core.availability.put((await core.ports.inventory.get(sku))!, 60_000);
    const tee = await core.useCases.getProduct("TSH-001");
    await core.useCases.updateProduct("TSH-001", {
      variants: tee.variants.map((v) => ({
        sku: v.sku,
        label: v.label,
        attrs: v.attrs,
        ...(v.sku === sku ? { priceCents: 2_900 } : {}),
      })),
    });
    assert.equal((await core.availability.getMany([sku])).size, 0);
    await core.useCases.addToCart("u", { sku, qty: 1 });
    assert.equal((await core.useCases.getCart("u")).items[0].unitPriceCents, 2_900);
  });

  await t.step("deactivating a warehouse reaches the cache through the outbox", async () => {
    const core = await cachedCore();
    const sku = "MON-001";
    const before = (await core.ports.inventory.get(sku))!;
    await core.availability.put(before, 60_000);
    const east = (await core.useCases.listInventory({ sku, warehouse: "east", page: 1, size: 1 }))
      .items[0];
    assert.ok(east && east.stock > 0, "the seed keeps part of MON-001 in east");
    await core.useCases.updateWarehouse("east", { active: false });
    await core.sync();
    const after = (await core.availability.getMany([sku])).get(sku)!;
    assert.equal(after.stock, before.stock - east.stock);
  });
});
