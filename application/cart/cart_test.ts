import assert from "node:assert/strict";
import {
  CurrencyMismatch,
  DependencyUnavailable,
  InsufficientStock,
  NotFound,
} from "../../domain/errors.ts";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import { testCore } from "../../testing/core.ts";
import { addToCart } from "./cart.ts";

const USER = "user-1";

Deno.test("addToCart() adds quantities within what is available", async (t) => {
  await t.step("adding the same SKU twice increments the line", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "LAP-001-32-1024", qty: 1 });
    const cart = await useCases.addToCart(USER, { sku: "LAP-001-32-1024", qty: 2 });
    assert.deepEqual(cart.items.map((i) => [i.sku, i.qty]), [["LAP-001-32-1024", 3]]);
  });

  await t.step(
    "a quantity above what is available fails with InsufficientStock naming the SKU",
    async () => {
      const { useCases } = await testCore();
      // LAP-005-32-1024 has 4 in stock.
      await useCases.addToCart(USER, { sku: "LAP-005-32-1024", qty: 3 });
      await assert.rejects(
        useCases.addToCart(USER, { sku: "LAP-005-32-1024", qty: 2 }),
        (error) => {
          assert.ok(error instanceof InsufficientStock);
          assert.equal(error.code, "insufficient_stock");
          assert.deepEqual(error.skus, ["LAP-005-32-1024"]);
          return true;
        },
      );
      assert.equal(
        (await useCases.getCart(USER)).items[0].qty,
        3,
        "the refused add changed nothing",
      );
      await useCases.addToCart(USER, { sku: "LAP-005-32-1024", qty: 1 });
    },
  );

  await t.step("units reserved by pending orders are not available", async () => {
    const { useCases } = await testCore();
    await useCases.placeOrder({
      userId: "someone-else",
      items: [{ sku: "LAP-005-32-1024", qty: 3 }],
    });
    await assert.rejects(
      useCases.addToCart(USER, { sku: "LAP-005-32-1024", qty: 2 }),
      InsufficientStock,
    );
    const cart = await useCases.addToCart(USER, { sku: "LAP-005-32-1024", qty: 1 });
    assert.equal(cart.items[0].available, 1);
  });

  await t.step("a sold-out SKU cannot be added", async () => {
    const { useCases } = await testCore();
    await assert.rejects(
      useCases.addToCart(USER, { sku: "LAP-008-16-256", qty: 1 }),
      InsufficientStock,
    );
  });

  await t.step("an unknown SKU fails with NotFound", async () => {
    const { useCases } = await testCore();
    await assert.rejects(useCases.addToCart(USER, { sku: "NOPE-001", qty: 1 }), (error) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.resource, "product");
      assert.equal(error.id, "NOPE-001");
      return true;
    });
  });

  await t.step("a deleted product cannot be added", async () => {
    const { useCases } = await testCore();
    await useCases.deleteProduct("BOK-010");
    await assert.rejects(useCases.addToCart(USER, { sku: "BOK-010", qty: 1 }), NotFound);
  });

  await t.step("one inventory read serves the check and the reply", async () => {
    const { ports } = await testCore();
    const reads: string[][] = [];
    const inventory: InventoryStore = Object.create(ports.inventory, {
      get: { value: (sku: string) => (reads.push([sku]), ports.inventory.get(sku)) },
      getMany: {
        value: (skus: readonly string[]) => (reads.push([...skus]), ports.inventory.getMany(skus)),
      },
    });
    const deps = { carts: ports.carts, inventory, catalog: ports.catalog, clock: ports.clock };
    await addToCart(deps, USER, { sku: "BOK-009", qty: 1 });
    reads.length = 0;
    const cart = await addToCart(deps, USER, { sku: "BOK-010", qty: 2 });
    assert.deepEqual(reads.map((skus) => skus.toSorted()), [["BOK-009", "BOK-010"]]);
    assert.deepEqual(cart.items.map((i) => [i.sku, i.qty]), [["BOK-009", 1], ["BOK-010", 2]]);
    assert.ok(cart.items.every((i) => i.name !== "Product unavailable" && i.unitPriceCents > 0));
  });

  await t.step("carts belong to one user each", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 1 });
    assert.deepEqual((await useCases.getCart("user-2")).items, []);
  });
});

Deno.test("setCartItem() sets a line and 0 removes it", async (t) => {
  await t.step("sets the quantity instead of adding", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 5 });
    const cart = await useCases.setCartItem(USER, { sku: "BOK-010", qty: 2 });
    assert.equal(cart.items[0].qty, 2);
  });

  await t.step("qty 0 removes the line", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 5 });
    await useCases.addToCart(USER, { sku: "BOK-009", qty: 1 });
    const cart = await useCases.setCartItem(USER, { sku: "BOK-010", qty: 0 });
    assert.deepEqual(cart.items.map((i) => i.sku), ["BOK-009"]);
  });

  await t.step("a quantity above what is available fails with InsufficientStock", async () => {
    const { useCases } = await testCore();
    await assert.rejects(
      useCases.setCartItem(USER, { sku: "LAP-005-32-1024", qty: 5 }),
      (error) => {
        assert.ok(error instanceof InsufficientStock);
        assert.deepEqual(error.skus, ["LAP-005-32-1024"]);
        return true;
      },
    );
  });

  await t.step("an unknown SKU fails with NotFound", async () => {
    const { useCases } = await testCore();
    await assert.rejects(useCases.setCartItem(USER, { sku: "NOPE-001", qty: 1 }), NotFound);
  });
});

Deno.test("removeCartItem() and clearCart() empty the cart", async (t) => {
  await t.step("removes one line; a line not in the cart is NotFound", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 1 });
    await useCases.addToCart(USER, { sku: "BOK-009", qty: 1 });
    const cart = await useCases.removeCartItem(USER, "BOK-010");
    assert.deepEqual(cart.items.map((i) => i.sku), ["BOK-009"]);
    await assert.rejects(useCases.removeCartItem(USER, "BOK-010"), (error) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.resource, "cart item");
      assert.equal(error.id, "BOK-010");
      return true;
    });
  });

  await t.step("clearCart() leaves an empty cart", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 1 });
    const cleared = await useCases.clearCart(USER);
    assert.deepEqual(await useCases.getCart(USER), {
      items: [],
      totalCents: 0,
      currency: "USD",
      version: 2,
    });
    assert.equal(cleared.version, 2, "clearing is a change: a new version");
  });
});

Deno.test("getCart() prices every line from inventory and totals the cart", async (t) => {
  await t.step("line totals, cart total and availability", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 3 }); // 1099 each, 157 in stock
    await useCases.addToCart(USER, { sku: "PHN-010", qty: 2 }); // 14999 each, 19 in stock
    const cart = await useCases.getCart(USER);
    assert.deepEqual(cart, {
      items: [
        {
          sku: "BOK-010",
          productSku: "BOK-010",
          variantLabel: null,
          name: "Dune",
          qty: 3,
          unitPriceCents: 1099,
          lineTotalCents: 3297,
          available: 157,
        },
        {
          sku: "PHN-010",
          productSku: "PHN-010",
          variantLabel: null,
          name: "Motorola Moto G Play 2024",
          qty: 2,
          unitPriceCents: 14999,
          lineTotalCents: 29998,
          available: 19,
        },
      ],
      totalCents: 33295,
      currency: "USD",
      version: 2,
    });
  });

  await t.step("a price change shows in the cart at once", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 2 });
    await useCases.adjustInventory("BOK-010", { unitPriceCents: 1500 });
    const cart = await useCases.getCart(USER);
    assert.equal(cart.items[0].unitPriceCents, 1500);
    assert.equal(cart.totalCents, 3000);
  });

  await t.step("a product deleted after it was added shows as unavailable", async () => {
    const { useCases } = await testCore();
    await useCases.addToCart(USER, { sku: "BOK-010", qty: 2 });
    await useCases.deleteProduct("BOK-010");
    const [line] = (await useCases.getCart(USER)).items;
    assert.equal(line.sku, "BOK-010");
    assert.equal(line.available, 0);
  });

  await t.step("an empty cart totals 0 USD", async () => {
    const { useCases } = await testCore();
    assert.deepEqual(await useCases.getCart(USER), {
      items: [],
      totalCents: 0,
      currency: "USD",
      version: 0,
    });
  });

  await t.step("the cart store being down surfaces as DependencyUnavailable", async () => {
    const core = await testCore();
    core.outages.redis.down = true;
    await assert.rejects(core.useCases.getCart(USER), DependencyUnavailable);
  });
});

Deno.test("a cart holds one currency", async (t) => {
  const euroBook = (core: Awaited<ReturnType<typeof testCore>>) =>
    core.ports.inventory.create(newInventoryItem({
      sku: "EUR-001",
      name: "Ein Buch",
      unitPriceCents: 1_500,
      currency: "EUR",
      stock: 10,
    }, core.clock.now()));

  await t.step(
    "adding a SKU in another currency is CurrencyMismatch naming both currencies",
    async () => {
      const core = await testCore();
      await euroBook(core);
      await core.useCases.addToCart(USER, { sku: "LAP-001-32-1024", qty: 1 });
      await assert.rejects(core.useCases.addToCart(USER, { sku: "EUR-001", qty: 1 }), (error) => {
        assert.ok(error instanceof CurrencyMismatch);
        assert.equal(error.code, "currency_mismatch");
        assert.deepEqual([error.sku, error.expected, error.found], ["EUR-001", "USD", "EUR"]);
        return true;
      });
      await assert.rejects(
        core.useCases.setCartItem(USER, { sku: "EUR-001", qty: 2 }),
        CurrencyMismatch,
      );
      const cart = await core.useCases.getCart(USER);
      assert.deepEqual(
        cart.items.map((i) => i.sku),
        ["LAP-001-32-1024"],
        "the refused writes changed nothing",
      );
      assert.equal(cart.currency, "USD");
    },
  );

  await t.step("an emptied cart takes any currency; its own currency is always fine", async () => {
    const core = await testCore();
    await euroBook(core);
    await core.useCases.addToCart(USER, { sku: "LAP-001-32-1024", qty: 1 });
    await core.useCases.setCartItem(USER, { sku: "LAP-001-32-1024", qty: 0 });
    await core.useCases.addToCart(USER, { sku: "EUR-001", qty: 1 });
    const cart = await core.useCases.setCartItem(USER, { sku: "EUR-001", qty: 3 });
    assert.equal(cart.currency, "EUR");
    assert.equal(cart.totalCents, 4_500);
  });
});
