import assert from "node:assert/strict";
import { NO_RATINGS } from "../../domain/reviews/review.ts";
import {
  AlreadyExists,
  DependencyUnavailable,
  InsufficientStock,
  InvalidStockLevel,
  NotFound,
} from "../../domain/errors.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import { testCore } from "../../testing/core.ts";
import { createProduct, type NewProductInput } from "./manage_catalog.ts";

function newProduct(overrides: Partial<NewProductInput> = {}): NewProductInput {
  return {
    sku: "KBD-001",
    name: "Keychron Q1 Pro",
    category: "keyboards",
    brand: "Keychron",
    description: "A wireless mechanical keyboard with a gasket-mounted aluminium case.",
    images: ["https://img.polycart.example/KBD-001/1.jpg"],
    attrs: { layout: "ansi", wireless: true },
    variants: [],
    tags: ["mechanical"],
    priceCents: 19900,
    stock: 12,
    ...overrides,
  };
}

const searchFor = (q: string) => ({ q, sort: "relevance" as const, page: 1, size: 20 });

Deno.test("createProduct() creates the catalog document and the inventory row", async (t) => {
  await t.step("both stores hold the product and the view carries availability", async () => {
    const core = await testCore();
    const view = await core.useCases.createProduct(newProduct());
    assert.equal(view.sku, "KBD-001");
    assert.equal(view.slug, "keychron-q1-pro");
    assert.equal(view.priceCents, 19900);
    assert.equal(view.currency, "USD");
    assert.deepEqual(view.ratings, NO_RATINGS);
    assert.deepEqual(view.publishedAt, core.clock.now());
    assert.deepEqual(view.availability, { available: 12, inStock: true });

    const product = await core.ports.catalog.get("KBD-001");
    assert.equal(product?.name, "Keychron Q1 Pro");
    const item = await core.ports.inventory.get("KBD-001");
    assert.equal(item?.stock, 12);
    assert.equal(item?.reserved, 0);
    assert.equal(item?.unitPriceCents, 19900);
    assert.equal(item?.active, true);
    assert.equal((await core.useCases.getProduct("keychron-q1-pro")).sku, "KBD-001");
  });

  await t.step("the product is sellable and reaches search after a sync", async () => {
    const core = await testCore();
    await core.useCases.createProduct(newProduct());
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "KBD-001", qty: 2 }] });
    await core.syncAll();
    const result = await core.useCases.search(searchFor("keychron"));
    assert.deepEqual(result.items.map((i) => [i.sku, i.inStock, i.priceCents]), [
      ["KBD-001", true, 19900],
    ]);
  });

  await t.step(
    "a taken SKU fails with AlreadyExists and leaves the original untouched",
    async () => {
      const core = await testCore();
      const before = await core.ports.catalog.get("LAP-001");
      await assert.rejects(
        core.useCases.createProduct(newProduct({ sku: "LAP-001", name: "Impostor" })),
        (error) => {
          assert.ok(error instanceof AlreadyExists);
          assert.equal(error.field, "sku");
          assert.equal(error.value, "LAP-001");
          return true;
        },
      );
      assert.deepEqual(await core.ports.catalog.get("LAP-001"), before);
      assert.equal((await core.ports.inventory.get("LAP-001"))?.name, before?.name);
    },
  );

  await t.step("a taken slug fails with AlreadyExists and creates no inventory", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.createProduct(newProduct({ slug: "dune" })),
      (error) => error instanceof AlreadyExists && error.field === "slug" && error.value === "dune",
    );
    assert.equal(await core.ports.inventory.get("KBD-001"), null);
  });

  await t.step(
    "when the inventory row cannot be created, no catalog document is left behind",
    async () => {
      const core = await testCore();
      // A deleted SKU keeps its inventory row for order history, so it cannot be created again.
      await core.useCases.deleteProduct("BOK-010");
      assert.equal(await core.ports.catalog.get("BOK-010"), null);
      await assert.rejects(
        core.useCases.createProduct(newProduct({ sku: "BOK-010", name: "Dune Messiah" })),
        (error) => {
          assert.ok(error instanceof AlreadyExists);
          assert.equal(error.resource, "inventory item");
          assert.equal(error.value, "BOK-010");
          return true;
        },
      );
      assert.equal(await core.ports.catalog.get("BOK-010"), null);
      assert.equal(await core.ports.catalog.getBySlug("dune-messiah"), null);
      await core.syncAll();
      assert.equal((await core.useCases.search(searchFor("messiah"))).total, 0);
    },
  );

  await t.step(
    "when the inventory store fails mid-create, the catalog write is undone",
    async () => {
      const core = await testCore();
      const inventory = core.ports.inventory;
      const failing: InventoryStore = {
        get: (sku) => inventory.get(sku),
        getMany: (skus) => inventory.getMany(skus),
        levels: (query) => inventory.levels(query),
        create: () => Promise.reject(new DependencyUnavailable("postgres")),
        adjust: (sku, change, at) => inventory.adjust(sku, change, at),
        discontinue: (sku, at) => inventory.discontinue(sku, at),
      };
      await assert.rejects(
        createProduct({ ...core.ports, inventory: failing }, newProduct()),
        DependencyUnavailable,
      );
      assert.equal(await core.ports.catalog.get("KBD-001"), null);
      assert.equal(await core.ports.inventory.get("KBD-001"), null);
    },
  );

  await t.step(
    "a negative stock fails with InvalidStockLevel and leaves nothing behind",
    async () => {
      const core = await testCore();
      await assert.rejects(
        core.useCases.createProduct(newProduct({ stock: -1 })),
        (error) =>
          error instanceof InvalidStockLevel && error.sku === "KBD-001" && error.stock === -1,
      );
      assert.equal(await core.ports.catalog.get("KBD-001"), null);
      assert.equal(await core.ports.inventory.get("KBD-001"), null);
    },
  );
});

Deno.test("updateProduct() changes content, price and stock together", async (t) => {
  await t.step("a price change reaches inventory, the product view and search", async () => {
    const core = await testCore();
    assert.equal((await core.useCases.getProduct("BOK-010")).priceCents, 1099); // now cached
    const view = await core.useCases.updateProduct("BOK-010", { priceCents: 1299 });
    assert.equal(view.priceCents, 1299);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.unitPriceCents, 1299);
    assert.equal((await core.ports.catalog.get("BOK-010"))?.priceCents, 1299);
    assert.equal((await core.useCases.getProduct("BOK-010")).priceCents, 1299, "cache invalidated");
    const order = await core.useCases.placeOrder({
      userId: "u",
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    assert.equal(order.totalCents, 1299);
    await core.syncAll();
    const [hit] = (await core.useCases.search(searchFor("dune frank herbert"))).items;
    assert.equal(hit.sku, "BOK-010");
    assert.equal(hit.priceCents, 1299);
  });

  await t.step("content, name, absolute stock and stock delta", async () => {
    const core = await testCore();
    let view = await core.useCases.updateProduct("BOK-010", {
      name: "Dune (40th Anniversary)",
      description: "Arrakis, again.",
      stock: 10,
    });
    assert.equal(view.name, "Dune (40th Anniversary)");
    assert.equal(view.slug, "dune", "the slug stays unless given");
    assert.equal(view.description, "Arrakis, again.");
    assert.deepEqual(view.availability, { available: 10, inStock: true });
    assert.equal((await core.ports.inventory.get("BOK-010"))?.name, "Dune (40th Anniversary)");
    view = await core.useCases.updateProduct("BOK-010", { stockDelta: -4 });
    assert.equal(view.availability.available, 6);
  });

  await t.step(
    "a stock below what is reserved fails with InvalidStockLevel and restores the catalog document",
    async () => {
      const core = await testCore();
      await core.useCases.placeOrder({ userId: "u", items: [{ sku: "PHN-010", qty: 3 }] });
      const before = await core.ports.catalog.get("PHN-010");
      await assert.rejects(
        core.useCases.updateProduct("PHN-010", {
          name: "Renamed",
          description: "Changed",
          priceCents: 1,
          stock: 2,
        }),
        (error) => {
          assert.ok(error instanceof InvalidStockLevel);
          assert.equal(error.code, "invalid_stock_level");
          assert.equal(error.sku, "PHN-010");
          assert.equal(error.stock, 2);
          assert.equal(error.reserved, 3);
          return true;
        },
      );
      const after = await core.ports.catalog.get("PHN-010");
      assert.ok(after && before);
      assert.equal(after.name, before.name);
      assert.equal(after.description, before.description);
      assert.equal(after.priceCents, before.priceCents);
      const item = await core.ports.inventory.get("PHN-010");
      assert.equal(item?.stock, 19);
      assert.equal(item?.unitPriceCents, 14999);
      assert.equal(item?.name, before.name);
      assert.equal((await core.useCases.getProduct("PHN-010")).name, before.name);
    },
  );

  await t.step("a taken slug fails with AlreadyExists and changes nothing", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.updateProduct("BOK-010", { slug: "clean-architecture", priceCents: 1 }),
      AlreadyExists,
    );
    assert.equal((await core.ports.catalog.get("BOK-010"))?.slug, "dune");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.unitPriceCents, 1099);
  });

  await t.step("an unknown SKU is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.updateProduct("NOPE-001", { priceCents: 1 }),
      (error) => error instanceof NotFound && error.id === "NOPE-001",
    );
  });
});

Deno.test("deleteProduct() stops selling and removes the content", async (t) => {
  await t.step("orders are refused, reads miss and search drops it after a sync", async () => {
    const core = await testCore();
    await core.useCases.getProduct("BOK-010"); // cached
    assert.equal((await core.useCases.search(searchFor("dune"))).items[0]?.sku, "BOK-010");

    await core.useCases.deleteProduct("BOK-010");

    await assert.rejects(
      core.useCases.placeOrder({ userId: "u", items: [{ sku: "BOK-010", qty: 1 }] }),
      (error) => error instanceof InsufficientStock && error.skus.join() === "BOK-010",
    );
    await assert.rejects(core.useCases.getProduct("BOK-010"), NotFound);
    await assert.rejects(core.useCases.getProduct("dune"), NotFound);
    const item = await core.ports.inventory.get("BOK-010");
    assert.equal(item?.active, false, "the row stays for order history");

    await core.syncAll();
    const result = await core.useCases.search(searchFor("dune"));
    assert.ok(!result.items.some((i) => i.sku === "BOK-010"));
    assert.ok(
      !(await core.useCases.autocomplete({ prefix: "dune", limit: 5 })).some((s) =>
        s.sku === "BOK-010"
      ),
    );
  });

  await t.step("pending orders keep their reservation and can still be paid", async () => {
    const core = await testCore();
    const order = await core.useCases.placeOrder({
      userId: "u",
      items: [{ sku: "BOK-010", qty: 2 }],
    });
    await core.useCases.deleteProduct("BOK-010");
    const { order: paid } = await core.useCases.payOrder({
      userId: "u",
      orderId: order.id,
      provider: "test",
      paymentToken: "tok_visa",
    });
    assert.equal(paid.status, "confirmed");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0);
  });

  await t.step("deleting twice, or an unknown SKU, is NotFound", async () => {
    const core = await testCore();
    await core.useCases.deleteProduct("BOK-010");
    await assert.rejects(core.useCases.deleteProduct("BOK-010"), NotFound);
    await assert.rejects(core.useCases.deleteProduct("NOPE-001"), NotFound);
  });
});
