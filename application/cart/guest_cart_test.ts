import assert from "node:assert/strict";
import { MAX_LINE_QTY } from "../../domain/cart/cart.ts";
import { CartNotFound, InsufficientStock, NotFound } from "../../domain/errors.ts";
import { userCart } from "../../ports/cart/carts.ts";
import { testCore } from "../../testing/core.ts";
import { guestOwner } from "./guest_cart.ts";

Deno.test("guest carts", async (t) => {
  await t.step("the store keys a guest cart by a SHA-256 of its token, not the token", async () => {
    const owner = await guestOwner("tok-secret");
    assert.equal(owner.kind, "guest");
    assert.match(owner.id, /^[0-9a-f]{64}$/);
    assert.ok(!owner.id.includes("tok-secret"));
    assert.deepEqual(await guestOwner("tok-secret"), owner, "the same token, the same cart");
  });

  await t.step("createGuestCart() issues a fresh token per cart", async () => {
    const { useCases } = await testCore();
    const a = await useCases.createGuestCart({ sku: "BOK-010", qty: 1 });
    const b = await useCases.createGuestCart({ sku: "BOK-010", qty: 1 });
    assert.notEqual(a.token, b.token);
    assert.ok(a.token.length >= 43, "256 random bits, base64url");
    const read = await useCases.getCart(await useCases.guestCartOwner(a.token));
    assert.deepEqual(read, a.cart);
  });

  await t.step("createGuestCart() checks the SKU and stock before making a cart", async () => {
    const { useCases } = await testCore();
    await assert.rejects(useCases.createGuestCart({ sku: "NOPE", qty: 1 }), NotFound);
    await assert.rejects(
      useCases.createGuestCart({ sku: "BOK-010", qty: 100_000 }),
      InsufficientStock,
    );
  });

  await t.step("an unknown token is CartNotFound on reads and writes", async () => {
    const { useCases } = await testCore();
    const ghost = await useCases.guestCartOwner("tok-ghost");
    await assert.rejects(useCases.getCart(ghost), CartNotFound);
    await assert.rejects(useCases.addToCart(ghost, { sku: "BOK-010", qty: 1 }), CartNotFound);
  });

  await t.step("a merge caps a line at MAX_LINE_QTY as well as at what is available", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { stock: 5_000 });
    const { token } = await core.useCases.createGuestCart({ sku: "BOK-010", qty: 600 });
    await core.ports.carts.add(userCart("u1"), "BOK-010", 600);
    const merge = await core.useCases.mergeGuestCart("u1", token);
    assert.deepEqual(merge.capped, [
      { sku: "BOK-010", requested: 600, merged: MAX_LINE_QTY - 600, limit: MAX_LINE_QTY },
    ]);
    assert.equal((await core.useCases.getCart("u1")).items[0].qty, MAX_LINE_QTY);
  });
});
