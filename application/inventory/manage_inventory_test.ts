import assert from "node:assert/strict";
import { InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";
import { seedCatalog } from "../../adapters/memory/seed.ts";

Deno.test("listInventory() shows one row per SKU and warehouse", async (t) => {
  await t.step("available is stock minus reserved, per row", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-001-32-1024", qty: 4 }] });
    const page = await core.useCases.listInventory({ sku: "LAP-001-32-1024", page: 1, size: 100 });
    assert.deepEqual(page.items.map((r) => [r.warehouse, r.stock, r.reserved, r.available]), [
      ["main", 184, 4, 180],
    ]);
    const all = await core.useCases.listInventory({ page: 1, size: 100 });
    const east = await core.useCases.listInventory({ warehouse: "east", page: 1, size: 100 });
    assert.ok(east.total > 0, "the seed keeps part of some SKUs' stock in east");
    assert.ok(east.items.every((r) => r.warehouse === "east"));
    assert.equal(
      all.total,
      seedCatalog(new Date()).inventory.length + east.total,
      "every product and variant SKU in main, some in east too",
    );
  });

  await t.step("lowStock keeps rows at or below their own threshold", async () => {
    const core = await testCore();
    const low = await core.useCases.listInventory({ lowStock: true, page: 1, size: 100 });
    const rows = low.items.map((r) => `${r.sku} ${r.warehouse}`);
    for (const sold of ["BOK-013", "HDP-001", "LAP-008-16-256", "MON-004", "SHO-009"]) {
      assert.ok(rows.includes(`${sold} main`), sold);
    }
    assert.ok(low.items.every((r) => r.available <= r.lowStockThreshold));
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005-32-1024", qty: 4 }] });
    await core.useCases.adjustInventory("HDP-008", { lowStockThreshold: 1 });
    const after = await core.useCases.listInventory({ lowStock: true, page: 1, size: 100 });
    assert.ok(after.items.some((r) => r.sku === "LAP-005-32-1024" && r.available === 0));
    assert.ok(after.items.some((r) => r.sku === "HDP-008"), "HDP-008 has 1 left, threshold 1");
    assert.ok(after.items.every((r) => r.available <= r.lowStockThreshold));
  });

  await t.step("pages in SKU order", async () => {
    const core = await testCore();
    const page = await core.useCases.listInventory({ page: 2, size: 3 });
    assert.deepEqual(page.items.map((i) => i.sku), ["BOK-004", "BOK-005", "BOK-006"]);
  });
});

Deno.test("adjustInventory() changes one warehouse's row", async (t) => {
  await t.step("a warehouse's stock and threshold; totals over active warehouses", async () => {
    const core = await testCore();
    const view = await core.useCases.adjustInventory("BOK-010", {
      warehouse: "east",
      stock: 5,
      lowStockThreshold: 2,
    });
    assert.equal(view.stock, 157 + 5);
    assert.deepEqual(view.warehouses.map((r) => [r.warehouse, r.stock, r.lowStockThreshold]), [
      ["east", 5, 2],
      ["main", 157, 0],
    ]);
    await assert.rejects(
      core.useCases.adjustInventory("BOK-010", { warehouse: "nowhere", delta: 1 }),
      (error) => error instanceof NotFound && error.id === "nowhere",
    );
    await core.useCases.updateWarehouse("east", { active: false });
    assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, 157);
    assert.deepEqual((await core.useCases.getProduct("BOK-010")).availability, {
      available: 157,
      inStock: true,
    });
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
    await core.useCases.getProduct("LAP-008"); // cached under the product's SKU
    await core.useCases.adjustInventory("LAP-008-16-256", { stock: 5, unitPriceCents: 99900 });
    // First by the product's SKU: its cached view must have been dropped (a read by the variant
    // SKU would reload and overwrite it).
    const product = await core.useCases.getProduct("LAP-008");
    assert.deepEqual(
      product.variants.find((v) => v.sku === "LAP-008-16-256")?.availability,
      { available: 5, inStock: true },
      "the product's cached view is dropped too",
    );
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
