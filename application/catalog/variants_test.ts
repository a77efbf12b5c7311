import assert from "node:assert/strict";
import {
  DuplicateSku,
  InvalidVariantPrice,
  NotFound,
  VariantRequired,
} from "../../domain/errors.ts";
import type { VariantInput } from "../../domain/catalog/variant.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import { testCore } from "../../testing/core.ts";
import { createProduct, type NewProductInput, updateProduct } from "./manage_catalog.ts";

const USER = "shopper";

const variant = (size: string, color: string, extra: Partial<VariantInput> = {}) => ({
  sku: `TEE-9-${size}-${color.toUpperCase()}`,
  label: `${size} / ${color}`,
  // The seeded t-shirts category declares colours capitalised (an enum).
  attrs: { size, color: color[0].toUpperCase() + color.slice(1) },
  stock: 10,
  ...extra,
});

/** `real`, except that `create` fails whenever `fails()` says so. */
function failingCreate(real: InventoryStore, fails: () => boolean, message: string) {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "create") {
        return (item: Parameters<InventoryStore["create"]>[0]) =>
          fails() ? Promise.reject(new Error(message)) : target.create(item);
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function tee(overrides: Partial<NewProductInput> = {}): NewProductInput {
  return {
    sku: "TEE-9",
    name: "Polycart Tee",
    category: "t-shirts",
    brand: "Polycart",
    description: "A t-shirt.",
    images: [],
    attrs: { material: "cotton" },
    variants: [
      variant("M", "blue"),
      variant("L", "blue", { priceAdjustmentCents: 200, stock: 3 }),
      variant("L", "red", { priceCents: 2500 }),
    ],
    tags: [],
    priceCents: 2000,
    stock: 0,
    ...overrides,
  };
}

Deno.test("createProduct() with variants sells each variant under its own SKU", async (t) => {
  await t.step(
    "rows per variant with resolved prices; the product's own row inactive",
    async () => {
      const core = await testCore();
      const view = await core.useCases.createProduct(tee());
      assert.deepEqual(view.variants.map((v) => [v.sku, v.priceCents, v.availability.available]), [
        ["TEE-9-M-BLUE", 2000, 10],
        ["TEE-9-L-BLUE", 2200, 3],
        ["TEE-9-L-RED", 2500, 10],
      ]);
      assert.deepEqual(view.priceRange, { minCents: 2000, maxCents: 2500 });
      assert.deepEqual(view.availability, { available: 23, inStock: true });
      const own = await core.ports.inventory.get("TEE-9");
      assert.equal(own?.active, false, "sold only through its variants");
      const row = await core.ports.inventory.get("TEE-9-L-BLUE");
      assert.deepEqual(
        [row?.productSku, row?.variantLabel, row?.name, row?.active],
        ["TEE-9", "L / blue", "Polycart Tee", true],
      );
    },
  );

  await t.step(
    "a variant SKU given twice, or equal to the product's, is DuplicateSku",
    async () => {
      const core = await testCore();
      const twice = tee({ variants: [variant("M", "blue"), variant("M", "blue")] });
      await assert.rejects(
        core.useCases.createProduct(twice),
        (e) => e instanceof DuplicateSku && e.skus.join() === "TEE-9-M-BLUE",
      );
      const own = tee({ variants: [{ ...variant("M", "blue"), sku: "TEE-9" }] });
      await assert.rejects(core.useCases.createProduct(own), DuplicateSku);
      assert.equal(await core.ports.catalog.get("TEE-9"), null);
      assert.equal(await core.ports.inventory.get("TEE-9"), null);
    },
  );

  await t.step("a variant SKU taken by another product or variant is DuplicateSku", async () => {
    const core = await testCore();
    for (const taken of ["BOK-010", "LAP-001-32-1024"]) {
      const clash = tee({
        variants: [variant("M", "blue"), { ...variant("L", "red"), sku: taken }],
      });
      await assert.rejects(
        core.useCases.createProduct(clash),
        (e) => e instanceof DuplicateSku && e.skus.join() === taken,
      );
    }
    assert.equal(await core.ports.catalog.get("TEE-9"), null, "nothing written");
    assert.equal(await core.ports.inventory.get("TEE-9-M-BLUE"), null);
  });

  await t.step(
    "a price adjustment below zero is InvalidVariantPrice, before any write",
    async () => {
      const core = await testCore();
      const cheap = tee({ variants: [variant("M", "blue", { priceAdjustmentCents: -2001 })] });
      await assert.rejects(core.useCases.createProduct(cheap), InvalidVariantPrice);
      assert.equal(await core.ports.catalog.get("TEE-9"), null);
    },
  );

  await t.step("a failure halfway leaves no catalog document and no row on sale", async () => {
    const core = await testCore();
    const real = core.ports.inventory;
    let creates = 0;
    const failing = failingCreate(real, () => ++creates === 3, "connection reset");
    await assert.rejects(
      createProduct({ ...core.ports, inventory: failing }, tee()),
      /connection reset/,
    );
    assert.equal(await core.ports.catalog.get("TEE-9"), null);
    const rows = await real.getMany(["TEE-9", "TEE-9-M-BLUE", "TEE-9-L-BLUE", "TEE-9-L-RED"]);
    assert.deepEqual(rows.map((r) => [r.sku, r.active]), [["TEE-9", false], [
      "TEE-9-M-BLUE",
      false,
    ]]);
  });
});

Deno.test("a product with variants is sold only through them", async (t) => {
  await t.step("adding the product SKU is VariantRequired listing the variant SKUs", async () => {
    const core = await testCore();
    await core.useCases.createProduct(tee());
    await assert.rejects(core.useCases.addToCart(USER, { sku: "TEE-9", qty: 1 }), (e) => {
      assert.ok(e instanceof VariantRequired);
      assert.equal(e.code, "variant_required");
      assert.deepEqual(e.variantSkus, ["TEE-9-M-BLUE", "TEE-9-L-BLUE", "TEE-9-L-RED"]);
      return true;
    });
    await assert.rejects(
      core.useCases.placeOrder({ userId: USER, items: [{ sku: "LAP-001", qty: 1 }] }),
      (e) => e instanceof VariantRequired && e.sku === "LAP-001" && e.variantSkus.length === 3,
    );
  });

  await t.step("cart lines and orders name the product and the variant label", async () => {
    const core = await testCore();
    await core.useCases.createProduct(tee());
    const cart = await core.useCases.addToCart(USER, { sku: "TEE-9-L-BLUE", qty: 2 });
    assert.deepEqual(
      cart.items.map((i) => [i.sku, i.productSku, i.name, i.variantLabel, i.unitPriceCents]),
      [["TEE-9-L-BLUE", "TEE-9", "Polycart Tee", "L / blue", 2200]],
    );
    const order = await core.useCases.placeOrder({ userId: USER });
    assert.deepEqual(order.items.map((i) => [i.sku, i.productSku, i.variantLabel]), [
      ["TEE-9-L-BLUE", "TEE-9", "L / blue"],
    ]);
  });
});

Deno.test("updateProduct() adds, changes and retires variants", async (t) => {
  await t.step(
    "the list given is what is sold: new added, listed changed, others retired",
    async () => {
      const core = await testCore();
      await core.useCases.createProduct(tee());
      const order = await core.useCases.placeOrder({
        userId: USER,
        items: [{ sku: "TEE-9-L-RED", qty: 1 }],
      });
      const view = await core.useCases.updateProduct("TEE-9", {
        variants: [
          variant("M", "blue", { label: "Medium / Blue", priceCents: 1900 }),
          variant("L", "blue"),
          variant("XL", "blue", { priceAdjustmentCents: 500, stock: 4 }),
        ],
      });
      assert.deepEqual(view.variants.map((v) => [v.sku, v.label, v.priceCents]), [
        ["TEE-9-M-BLUE", "Medium / Blue", 1900],
        ["TEE-9-L-BLUE", "L / blue", 2200],
        ["TEE-9-XL-BLUE", "XL / blue", 2500],
      ]);
      const blueM = await core.ports.inventory.get("TEE-9-M-BLUE");
      assert.equal(blueM?.variantLabel, "Medium / Blue", "the row's label follows the catalog");
      assert.equal((await core.ports.inventory.get("TEE-9-L-BLUE"))?.stock, 10, "stock given");
      const retired = await core.ports.inventory.get("TEE-9-L-RED");
      assert.equal(retired?.active, false);
      await assert.rejects(
        core.useCases.addToCart(USER, { sku: "TEE-9-L-RED", qty: 1 }),
        (e) => e instanceof NotFound && e.id === "TEE-9-L-RED",
      );
      const history = await core.useCases.getOrder({ userId: USER, orderId: order.id });
      assert.deepEqual(history.items.map((i) => [i.sku, i.variantLabel]), [[
        "TEE-9-L-RED",
        "L / red",
      ]]);
    },
  );

  await t.step("a retired SKU cannot come back; SKUs are never reused", async () => {
    const core = await testCore();
    await core.useCases.createProduct(tee());
    await core.useCases.updateProduct("TEE-9", { variants: [variant("M", "blue")] });
    await assert.rejects(
      core.useCases.updateProduct("TEE-9", {
        variants: [variant("M", "blue"), variant("L", "red")],
      }),
      (e) => e instanceof DuplicateSku && e.skus.join() === "TEE-9-L-RED",
    );
  });

  await t.step("a product sold under its own SKU can move to variants", async () => {
    const core = await testCore();
    await core.useCases.updateProduct("BOK-010", {
      variants: [{
        sku: "BOK-010-HC",
        label: "Hardcover",
        attrs: { format: "hardcover" },
        stock: 2,
      }],
    });
    assert.equal((await core.ports.inventory.get("BOK-010"))?.active, false);
    await assert.rejects(
      core.useCases.addToCart(USER, { sku: "BOK-010", qty: 1 }),
      VariantRequired,
    );
    const cart = await core.useCases.addToCart(USER, { sku: "BOK-010-HC", qty: 2 });
    assert.equal(cart.items[0].unitPriceCents, 1099, "the base price when none is given");
  });

  await t.step("a refused variant change puts the document and every row back", async () => {
    const core = await testCore();
    await core.useCases.createProduct(tee());
    const before = await core.ports.catalog.get("TEE-9");
    const real = core.ports.inventory;
    const failing = failingCreate(real, () => true, "disk full");
    await assert.rejects(
      updateProduct({ ...core.ports, inventory: failing }, "TEE-9", {
        name: "Renamed Tee",
        variants: [variant("M", "blue", { priceCents: 100 }), variant("XL", "blue")],
      }),
      /disk full/,
    );
    const after = await core.ports.catalog.get("TEE-9");
    assert.deepEqual(after?.variants, before?.variants);
    assert.equal(after?.name, "Polycart Tee");
    const row = await real.get("TEE-9-M-BLUE");
    assert.deepEqual([row?.unitPriceCents, row?.name, row?.active], [2000, "Polycart Tee", true]);
    assert.equal((await real.get("TEE-9-L-RED"))?.active, true, "not retired");
  });
});
