import assert from "node:assert/strict";
import { CART_TTL_MS, GUEST_CART_TTL_MS } from "../../domain/cart/cart.ts";
import { CartNotFound, DependencyUnavailable } from "../../domain/errors.ts";
import { cartGuestContract } from "../../ports/contracts/cart_guest_contract.ts";
import { cartStoreContract } from "../../ports/contracts/cart_store_contract.ts";
import { guestCart, userCart } from "../../ports/cart/carts.ts";
import { MemoryCartStore } from "./carts.ts";
import { Outage } from "./outage.ts";

class StepClock {
  constructor(public ms = Date.UTC(2025, 0, 1)) {}
  now(): Date {
    return new Date(this.ms);
  }
}

const fresh = () =>
  Promise.resolve({
    subject: new MemoryCartStore(new StepClock()),
    close: () => Promise.resolve(),
  });
cartStoreContract("MemoryCartStore", fresh);
cartGuestContract("MemoryCartStore", fresh);

const U1 = userCart("u1");
const lines = async (cart: Promise<{ lines: unknown }>) => (await cart).lines;

Deno.test("MemoryCartStore", async (t) => {
  await t.step("a cart expires 30 days after its last change", async () => {
    const clock = new StepClock();
    const carts = new MemoryCartStore(clock);
    await lines(carts.add(U1, "A", 1));
    clock.ms += CART_TTL_MS - 1;
    assert.deepEqual(await lines(carts.get(U1)), { A: 1 }, "reading does not refresh");
    await lines(carts.add(U1, "B", 1));
    clock.ms += CART_TTL_MS - 1;
    assert.deepEqual(await lines(carts.get(U1)), { A: 1, B: 1 });
    clock.ms += 1;
    assert.deepEqual(await lines(carts.get(U1)), {});
    assert.deepEqual(await lines(carts.add(U1, "C", 1)), { C: 1 }, "an expired cart starts afresh");
  });

  await t.step("takes its TTL from the constructor", async () => {
    const clock = new StepClock();
    const carts = new MemoryCartStore(clock, 1_000);
    await lines(carts.set(U1, "A", 2));
    clock.ms += 1_000;
    assert.deepEqual(await lines(carts.get(U1)), {});
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const outage = new Outage();
    const carts = new MemoryCartStore(new StepClock(), CART_TTL_MS, { outage });
    await lines(carts.add(U1, "A", 1));
    outage.down = true;
    for (
      const call of [
        () => lines(carts.get(U1)),
        () => lines(carts.add(U1, "A", 1)),
        () => lines(carts.set(U1, "A", 1)),
        () => lines(carts.remove(U1, "A")),
        () => carts.clear(U1),
      ]
    ) {
      await assert.rejects(
        call(),
        (e) => e instanceof DependencyUnavailable && e.dependency === "redis",
      );
    }
    outage.down = false;
    assert.deepEqual(await lines(carts.get(U1)), { A: 1 }, "nothing changed while down");
  });

  await t.step("a guest cart expires 7 days after its last change", async () => {
    const clock = new StepClock();
    const carts = new MemoryCartStore(clock);
    await carts.createGuest("g1", "A", 1);
    clock.ms += GUEST_CART_TTL_MS - 1;
    assert.deepEqual(await lines(carts.get(guestCart("g1"))), { A: 1 });
    await carts.add(guestCart("g1"), "B", 1);
    clock.ms += GUEST_CART_TTL_MS - 1;
    assert.deepEqual(await lines(carts.get(guestCart("g1"))), { A: 1, B: 1 });
    clock.ms += 1;
    await assert.rejects(carts.get(guestCart("g1")), CartNotFound);
    await assert.rejects(carts.add(guestCart("g1"), "A", 1), CartNotFound);
    assert.equal(await carts.claimGuest("g1", "u1"), null);
  });
});
