/**
 * Issue 9, bug 1 at the use-case level, on a fixed clock: a scheduled product goes live at its
 * time with no write in between, everywhere it can be seen or sold.
 */
import assert from "node:assert/strict";
import { InsufficientStock, NotFound } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";
import type { NewProductInput } from "./manage_catalog.ts";

const HOUR_MS = 3_600_000;

function input(sku: string, publishedAt: Date | null): NewProductInput {
  return {
    sku,
    name: `Quokka ${sku}`,
    category: "publication",
    brand: "Polycart",
    description: "",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    priceCents: 2_000,
    stock: 5,
    publishedAt,
  };
}

async function scheduledCore() {
  const core = await testCore({ seed: false });
  const at = new Date(core.clock.now().getTime() + HOUR_MS);
  await core.useCases.createProduct(input("PUB-SOON", at));
  await core.useCases.createProduct(input("PUB-DRAFT", null));
  await core.syncAll();
  return core;
}

const browse = {
  category: "publication",
  attrs: [],
  sort: "price_asc",
  page: 1,
  size: 10,
} as const;

Deno.test("a scheduled product goes live at its time without another write", async (t) => {
  const core = await scheduledCore();
  const { useCases } = core;
  const search = { q: "quokka", sort: "relevance", page: 1, size: 10 } as const;

  await t.step("before its time: hidden from reads, browse, search and autocomplete", async () => {
    await assert.rejects(useCases.getProduct("PUB-SOON"), NotFound);
    const admin = await useCases.getProduct("PUB-SOON", { includeUnpublished: true });
    assert.equal(admin.sku, "PUB-SOON", "the admin read also fills the product cache");
    await assert.rejects(useCases.getProduct("PUB-SOON"), NotFound, "cached, still hidden");
    assert.equal((await useCases.listProducts(browse)).total, 0);
    assert.equal((await useCases.search(search)).total, 0);
    assert.deepEqual(await useCases.autocomplete({ prefix: "quok", limit: 5 }), []);
  });

  await t.step("before its time: neither carted nor ordered", async () => {
    await assert.rejects(useCases.addToCart("u1", { sku: "PUB-SOON", qty: 1 }), NotFound);
    await assert.rejects(useCases.setCartItem("u1", { sku: "PUB-SOON", qty: 1 }), NotFound);
    await assert.rejects(
      useCases.placeOrder({ userId: "u1", items: [{ sku: "PUB-SOON", qty: 1 }] }),
      (e) => e instanceof InsufficientStock && e.skus.includes("PUB-SOON"),
    );
  });

  await t.step("one millisecond short is still too early", async () => {
    core.clock.advance(HOUR_MS - 1);
    await assert.rejects(useCases.getProduct("PUB-SOON"), NotFound);
  });

  await t.step("at its time: visible and sellable, from the same cache and index", async () => {
    const writes = await core.ports.feeds[0].backlog(null);
    core.clock.advance(1);
    assert.equal((await useCases.getProduct("PUB-SOON")).sku, "PUB-SOON");
    assert.deepEqual((await useCases.listProducts(browse)).items.map((p) => p.sku), [
      "PUB-SOON",
    ]);
    assert.deepEqual((await useCases.search(search)).items.map((h) => h.sku), ["PUB-SOON"]);
    const suggested = await useCases.autocomplete({ prefix: "quok", limit: 5 });
    assert.deepEqual(suggested.map((s) => s.sku), ["PUB-SOON"]);
    await useCases.addToCart("u1", { sku: "PUB-SOON", qty: 1 });
    const after = await core.ports.feeds[0].backlog(null);
    assert.equal(after.pending, writes.pending, "no catalog or inventory write in between");
    const order = await useCases.placeOrder({ userId: "u1", items: [{ sku: "PUB-SOON", qty: 1 }] });
    assert.equal(order.status, "pending");
  });

  await t.step("a draft stays hidden whatever the time", async () => {
    core.clock.advance(1_000 * HOUR_MS);
    await assert.rejects(useCases.getProduct("PUB-DRAFT"), NotFound);
    await assert.rejects(useCases.addToCart("u1", { sku: "PUB-DRAFT", qty: 1 }), NotFound);
  });
});

Deno.test("the catalog use cases keep inventory's copy of publishedAt", async (t) => {
  await t.step("createProduct() copies it; a missing publishedAt means now", async () => {
    const core = await scheduledCore();
    const soon = await core.ports.inventory.get("PUB-SOON");
    assert.deepEqual(soon?.publishedAt, new Date(core.clock.now().getTime() + HOUR_MS));
    assert.equal((await core.ports.inventory.get("PUB-DRAFT"))?.publishedAt, null);
    const { publishedAt: _omitted, ...rest } = input("PUB-NOW", null);
    await core.useCases.createProduct(rest);
    assert.deepEqual((await core.ports.inventory.get("PUB-NOW"))?.publishedAt, core.clock.now());
  });

  await t.step("updateProduct() publishes and unpublishes in both stores", async () => {
    const core = await scheduledCore();
    await core.useCases.updateProduct("PUB-DRAFT", { publishedAt: core.clock.now() });
    assert.deepEqual((await core.ports.inventory.get("PUB-DRAFT"))?.publishedAt, core.clock.now());
    await core.useCases.addToCart("u1", { sku: "PUB-DRAFT", qty: 1 });
    await core.useCases.updateProduct("PUB-DRAFT", { publishedAt: null });
    assert.equal((await core.ports.inventory.get("PUB-DRAFT"))?.publishedAt, null);
    await assert.rejects(core.useCases.getProduct("PUB-DRAFT"), NotFound, "cache invalidated");
    await assert.rejects(core.useCases.addToCart("u1", { sku: "PUB-DRAFT", qty: 1 }), NotFound);
  });

  await t.step("the sync repairs an inventory copy that drifted from the catalog", async () => {
    const core = await scheduledCore();
    // As a row migrated by 0003 would be: on sale, while the catalog holds a draft.
    await core.ports.inventory.adjust("PUB-DRAFT", { publishedAt: new Date(0) }, core.clock.now());
    await core.syncAll();
    assert.equal((await core.ports.inventory.get("PUB-DRAFT"))?.publishedAt, null);
    await assert.rejects(core.useCases.addToCart("u1", { sku: "PUB-DRAFT", qty: 1 }), NotFound);
  });
});

Deno.test("topProducts() leaves out products unpublished since they sold", async () => {
  const core = await testCore({ seed: false });
  await core.useCases.createProduct(input("PUB-A", core.clock.now()));
  await core.useCases.createProduct(input("PUB-B", core.clock.now()));
  for (const [sku, qty] of [["PUB-A", 1], ["PUB-B", 2]] as const) {
    const order = await core.useCases.placeOrder({ userId: "u1", items: [{ sku, qty }] });
    await core.useCases.payOrder({
      userId: "u1",
      orderId: order.id,
      provider: "test",
      paymentToken: "tok_visa",
    });
  }
  const top = () => core.useCases.topProducts({ limit: 10 });
  assert.deepEqual((await top()).map((s) => [s.sku, s.rank]), [["PUB-B", 1], ["PUB-A", 2]]);
  const later = new Date(core.clock.now().getTime() + HOUR_MS);
  await core.useCases.updateProduct("PUB-B", { publishedAt: later });
  assert.deepEqual((await top()).map((s) => [s.sku, s.rank]), [["PUB-A", 1]]);
  core.clock.advance(HOUR_MS);
  assert.deepEqual((await top()).map((s) => [s.sku, s.rank]), [["PUB-B", 1], ["PUB-A", 2]]);
});
