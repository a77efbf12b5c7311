import assert from "node:assert/strict";
import type { CartLines } from "../../domain/cart/cart.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import { type CartOwner, type CartStore, userCart } from "../cart/carts.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `CartStore` keeps. Each step uses its own user ids, so the suite may
 * share a server with other data. Expiry runs on the store's own clock and is tested per
 * adapter, not here.
 */
export function cartStoreContract(
  label: string,
  make: MakeFixture<CartStore>,
  options: ContractOptions = {},
): void {
  defineContract("CartStore", label, make, options, async (run) => {
    const step = (name: string, body: (carts: LineView, user: string) => Promise<void>) =>
      run(name, (carts) => body(linesOf(carts), `user-${crypto.randomUUID()}`));

    await step("an unknown user has an empty cart", async (carts, user) => {
      assert.deepEqual(await carts.get(user), {});
    });

    await step("add creates a line, adds to it, and returns the cart", async (carts, user) => {
      assert.deepEqual(await carts.add(user, "SKU-A", 2), { "SKU-A": 2 });
      assert.deepEqual(await carts.add(user, "SKU-B", 1), { "SKU-A": 2, "SKU-B": 1 });
      assert.deepEqual(await carts.add(user, "SKU-A", 3), { "SKU-A": 5, "SKU-B": 1 });
      assert.deepEqual(await carts.get(user), { "SKU-A": 5, "SKU-B": 1 });
    });

    await step("50 concurrent adds of 1 end at 50", async (carts, user) => {
      await Promise.all(Array.from({ length: 50 }, () => carts.add(user, "SKU-A", 1)));
      assert.deepEqual(await carts.get(user), { "SKU-A": 50 });
    });

    await step("concurrent adds to different lines all land", async (carts, user) => {
      const skus = Array.from({ length: 20 }, (_, i) => `SKU-${i}`);
      await Promise.all(skus.map((sku) => carts.add(user, sku, 2)));
      assert.deepEqual(await carts.get(user), Object.fromEntries(skus.map((s) => [s, 2])));
    });

    await step("set overwrites a line; 0 removes it", async (carts, user) => {
      await carts.add(user, "SKU-A", 5);
      assert.deepEqual(await carts.set(user, "SKU-A", 2), { "SKU-A": 2 });
      assert.deepEqual(await carts.set(user, "SKU-B", 7), { "SKU-A": 2, "SKU-B": 7 });
      assert.deepEqual(await carts.set(user, "SKU-A", 0), { "SKU-B": 7 });
      assert.deepEqual(await carts.get(user), { "SKU-B": 7 });
      assert.deepEqual(await carts.set(user, "SKU-B", 0), {});
      assert.deepEqual(await carts.get(user), {});
    });

    await step(
      "remove drops one line; removing a missing line is harmless",
      async (carts, user) => {
        await carts.add(user, "SKU-A", 1);
        await carts.add(user, "SKU-B", 2);
        assert.deepEqual(await carts.remove(user, "SKU-A"), { "SKU-B": 2 });
        assert.deepEqual(await carts.remove(user, "SKU-A"), { "SKU-B": 2 });
        assert.deepEqual(await carts.remove(user, "SKU-B"), {});
        assert.deepEqual(await carts.get(user), {});
      },
    );

    await step("clear empties the cart; the next add starts afresh", async (carts, user) => {
      await carts.add(user, "SKU-A", 3);
      await carts.add(user, "SKU-B", 1);
      await carts.clear(user);
      assert.deepEqual(await carts.get(user), {});
      await carts.clear(user);
      assert.deepEqual(await carts.add(user, "SKU-A", 1), { "SKU-A": 1 });
    });

    await step(
      "subtract takes exactly the given quantities and leaves every other line",
      async (carts, user) => {
        await carts.add(user, "SKU-A", 5);
        await carts.add(user, "SKU-B", 2);
        await carts.add(user, "SKU-C", 1);
        assert.deepEqual(
          await carts.subtract(user, [{ sku: "SKU-A", qty: 3 }, { sku: "SKU-B", qty: 2 }]),
          { "SKU-A": 2, "SKU-C": 1 },
        );
        assert.deepEqual(await carts.get(user), { "SKU-A": 2, "SKU-C": 1 });
      },
    );

    await step(
      "subtract never goes below 0 and ignores SKUs the cart does not hold",
      async (carts, user) => {
        await carts.add(user, "SKU-A", 1);
        assert.deepEqual(
          await carts.subtract(user, [{ sku: "SKU-A", qty: 4 }, { sku: "SKU-Z", qty: 1 }]),
          {},
        );
        assert.deepEqual(await carts.get(user), {});
        assert.deepEqual(await carts.subtract(user, [{ sku: "SKU-A", qty: 1 }]), {});
        assert.deepEqual(await carts.add(user, "SKU-A", 1), { "SKU-A": 1 });
      },
    );

    await step("subtract is atomic with concurrent adds", async (carts, user) => {
      await carts.add(user, "SKU-A", 50);
      await Promise.all([
        ...Array.from({ length: 20 }, () => carts.subtract(user, [{ sku: "SKU-A", qty: 1 }])),
        ...Array.from({ length: 20 }, () => carts.add(user, "SKU-A", 1)),
      ]);
      assert.deepEqual(await carts.get(user), { "SKU-A": 50 });
    });

    await step("carts belong to one user each", async (carts, user) => {
      const other = `${user}-other`;
      await carts.add(user, "SKU-A", 1);
      await carts.add(other, "SKU-A", 4);
      await carts.clear(other);
      assert.deepEqual(await carts.get(user), { "SKU-A": 1 });
      assert.deepEqual(await carts.get(other), {});
    });
  });
}

/** The store's user carts seen as lines only (versions are checked in the guest contract). */
interface LineView {
  get(user: string): Promise<CartLines>;
  add(user: string, sku: string, qty: number): Promise<CartLines>;
  set(user: string, sku: string, qty: number): Promise<CartLines>;
  remove(user: string, sku: string): Promise<CartLines>;
  clear(user: string): Promise<void>;
  subtract(user: string, lines: readonly StockLine[]): Promise<CartLines>;
}

function linesOf(carts: CartStore): LineView {
  const u = (id: string): CartOwner => userCart(id);
  return {
    get: async (user) => (await carts.get(u(user))).lines,
    add: async (user, sku, qty) => (await carts.add(u(user), sku, qty)).lines,
    set: async (user, sku, qty) => (await carts.set(u(user), sku, qty)).lines,
    remove: async (user, sku) => (await carts.remove(u(user), sku)).lines,
    clear: async (user) => {
      await carts.clear(u(user));
    },
    subtract: async (user, lines) => (await carts.subtract(u(user), lines)).lines,
  };
}
