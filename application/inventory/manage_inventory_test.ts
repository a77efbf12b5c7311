import assert from "node:assert/strict";
import { InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";

Deno.test("listInventory() shows stock, reserved and available", async (t) => {
  await t.step("available is stock minus reserved", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-001", qty: 4 }] });
    const page = await core.useCases.listInventory({ page: 1, size: 100 });
    assert.equal(page.total, 72, "70 published seed products, a draft and a scheduled one");
    const item = page.items.find((i) => i.sku === "LAP-001");
    assert.equal(item?.stock, 184);
    assert.equal(item?.reserved, 4);
    assert.equal(item?.available, 180);
  });

  await t.step("lowStock keeps items whose available quantity is at or below it", async () => {
    const core = await testCore();
    const low = await core.useCases.listInventory({ lowStock: 0, page: 1, size: 100 });
    assert.deepEqual(low.items.map((i) => i.sku), [
      "BOK-013",
      "HDP-001",
      "LAP-008",
      "MON-004",
      "SHO-009",
    ]);
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005", qty: 4 }] });
    const after = await core.useCases.listInventory({ lowStock: 0, page: 1, size: 100 });
    assert.ok(after.items.some((i) => i.sku === "LAP-005" && i.available === 0));
    const upToOne = await core.useCases.listInventory({ lowStock: 1, page: 1, size: 100 });
    assert.ok(upToOne.items.every((i) => i.available <= 1));
    assert.ok(upToOne.items.some((i) => i.sku === "HDP-008"), "HDP-008 has 1 left");
  });

  await t.step("pages in SKU order", async () => {
    const core = await testCore();
    const page = await core.useCases.listInventory({ page: 2, size: 3 });
    assert.deepEqual(page.items.map((i) => i.sku), ["BOK-004", "BOK-005", "BOK-006"]);
    assert.equal(page.total, 72, "70 published seed products, a draft and a scheduled one");
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
    assert.deepEqual((await core.useCases.getProduct("LAP-008")).availability, {
      available: 0,
      inStock: false,
    });
    await core.useCases.adjustInventory("LAP-008", { stock: 5, unitPriceCents: 99900 });
    const view = await core.useCases.getProduct("LAP-008");
    assert.deepEqual(view.availability, { available: 5, inStock: true });
    assert.equal(view.priceCents, 99900);
    await core.useCases.addToCart("u", { sku: "LAP-008", qty: 5 });
  });

  await t.step("stock may not fall below what is reserved: InvalidStockLevel", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005", qty: 3 }] });
    await assert.rejects(core.useCases.adjustInventory("LAP-005", { delta: -2 }), (error) => {
      assert.ok(error instanceof InvalidStockLevel);
      assert.equal(error.sku, "LAP-005");
      assert.equal(error.stock, 2);
      assert.equal(error.reserved, 3);
      return true;
    });
    await assert.rejects(
      core.useCases.adjustInventory("BOK-010", { stock: -1 }),
      (error) => error instanceof InvalidStockLevel && error.stock === -1 && error.reserved === 0,
    );
    const item = await core.ports.inventory.get("LAP-005");
    assert.equal(item?.stock, 4);
    assert.equal(item?.reserved, 3);
    assert.equal((await core.useCases.adjustInventory("LAP-005", { delta: -1 })).available, 0);
  });

  await t.step("an unknown SKU is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.adjustInventory("NOPE-001", { delta: 1 }),
      (error) => error instanceof NotFound && error.id === "NOPE-001",
    );
  });

  await t.step("a stock change reaches search through the sync", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("LAP-008", { stock: 3 });
    await core.syncAll();
    const result = await core.useCases.search({
      q: "macbook air",
      sort: "relevance",
      page: 1,
      size: 5,
    });
    assert.equal(result.items[0].sku, "LAP-008");
    assert.equal(result.items[0].inStock, true);
  });

  await t.step("succeeds while the product cache is down", async () => {
    const core = await testCore();
    core.outages.redis.down = true;
    const item = await core.useCases.adjustInventory("BOK-010", { delta: 1 });
    assert.equal(item.stock, 158);
  });
});
