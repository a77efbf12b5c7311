import assert from "node:assert/strict";
import { InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";
import { seedCatalog } from "../../adapters/memory/seed.ts";

const seed = seedCatalog(new Date());
const SEED_ROWS = seed.inventory.length;

Deno.test("listInventory() shows stock, reserved and available", async (t) => {
  await t.step("available is stock minus reserved", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-001-32-1024", qty: 4 }] });
    const page = await core.useCases.listInventory({ page: 1, size: 100 });
    assert.equal(page.total, SEED_ROWS, "a row per seed product and per variant");
    const item = page.items.find((i) => i.sku === "LAP-001-32-1024");
    assert.equal(item?.stock, 184);
    assert.equal(item?.reserved, 4);
    assert.equal(item?.available, 180);
  });

  await t.step("lowStock keeps items whose available quantity is at or below it", async () => {
    const core = await testCore();
    const low = await core.useCases.listInventory({ lowStock: 0, page: 1, size: 100 });
    assert.deepEqual(low.items.map((i) => i.sku), [
      ...seed.inventory.filter((i) => i.stock === 0).map((i) => i.sku).sort(),
    ]);
    assert.ok(low.items.some((i) => i.sku === "BOK-013"));
    assert.ok(low.items.some((i) => i.sku === "LAP-008-16-256"));
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005-32-1024", qty: 4 }] });
    const after = await core.useCases.listInventory({ lowStock: 0, page: 1, size: 100 });
    assert.ok(after.items.some((i) => i.sku === "LAP-005-32-1024" && i.available === 0));
    const upToOne = await core.useCases.listInventory({ lowStock: 1, page: 1, size: 100 });
    assert.ok(upToOne.items.every((i) => i.available <= 1));
    assert.ok(upToOne.items.some((i) => i.sku === "HDP-008"), "HDP-008 has 1 left");
  });

  await t.step("pages in SKU order", async () => {
    const core = await testCore();
    const page = await core.useCases.listInventory({ page: 2, size: 3 });
    assert.deepEqual(page.items.map((i) => i.sku), ["BOK-004", "BOK-005", "BOK-006"]);
    assert.equal(page.total, SEED_ROWS, "a row per seed product and per variant");
  });
});

Deno.test("adjustInventory() changes stock and price", async (t) => {
  await t.step("absolute stock, delta and price", async () => {
    const core = await testCore();
    let item = await core.useCases.adjustInventory("BOK-010", { stock: 20 });
    assert.equal(item.stock, 20);
    assert.equal(item.available, 20);
    item = await core.useCases.adjustInventory("BOK-010", { delta: -5 });
    assert.equal(item.stock, 15);
    item = await core.useCases.adjustInventory("BOK-010", { delta: 3, unitPriceCents: 999 });
    assert.equal(item.stock, 18);
    assert.equal(item.unitPriceCents, 999);
  });

  await t.step("readers see the change at once: the product cache is invalidated", async () => {
    const core = await testCore();
    const variantOf = async () =>
      (await core.useCases.getProduct("LAP-008-16-256")).variants
        .find((v) => v.sku === "LAP-008-16-256");
    assert.deepEqual((await variantOf())?.availability, { available: 0, inStock: false });
    await core.useCases.adjustInventory("LAP-008-16-256", { stock: 5, unitPriceCents: 99900 });
    const variant = await variantOf();
    assert.deepEqual(variant?.availability, { available: 5, inStock: true });
    assert.equal(variant?.priceCents, 99900);
    await core.useCases.addToCart("u", { sku: "LAP-008-16-256", qty: 5 });
  });

  await t.step("stock may not fall below what is reserved: InvalidStockLevel", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005-32-1024", qty: 3 }] });
    await assert.rejects(
      core.useCases.adjustInventory("LAP-005-32-1024", { delta: -2 }),
      (error) => {
        assert.ok(error instanceof InvalidStockLevel);
        assert.equal(error.sku, "LAP-005-32-1024");
        assert.equal(error.stock, 2);
        assert.equal(error.reserved, 3);
        return true;
      },
    );
    await assert.rejects(
      core.useCases.adjustInventory("BOK-010", { stock: -1 }),
      (error) => error instanceof InvalidStockLevel && error.stock === -1 && error.reserved === 0,
    );
    const item = await core.ports.inventory.get("LAP-005-32-1024");
    assert.equal(item?.stock, 4);
    assert.equal(item?.reserved, 3);
    assert.equal(
      (await core.useCases.adjustInventory("LAP-005-32-1024", { delta: -1 })).available,
      0,
    );
  });

  await t.step("an unknown SKU is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.adjustInventory("NOPE-001", { delta: 1 }),
      (error) => error instanceof NotFound && error.id === "NOPE-001",
    );
  });

  await t.step("a variant's stock change reaches its product's search document", async () => {
    const core = await testCore();
    const top = async () =>
      (await core.useCases.search({ q: "macbook air", sort: "relevance", page: 1, size: 5 }))
        .items[0];
    await core.useCases.adjustInventory("LAP-008-16-512", { stock: 0 });
    await core.useCases.adjustInventory("LAP-008-24-1024", { stock: 0 });
    await core.syncAll();
    assert.deepEqual([(await top()).sku, (await top()).inStock], ["LAP-008", false]);
    await core.useCases.adjustInventory("LAP-008-16-256", { stock: 3 });
    await core.syncAll();
    assert.deepEqual([(await top()).sku, (await top()).inStock], ["LAP-008", true]);
  });

  await t.step("succeeds while the product cache is down", async () => {
    const core = await testCore();
    core.outages.redis.down = true;
    const item = await core.useCases.adjustInventory("BOK-010", { delta: 1 });
    assert.equal(item.stock, 158);
  });
});
