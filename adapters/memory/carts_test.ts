import assert from "node:assert/strict";
import { CART_TTL_MS } from "../../domain/cart/cart.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { cartStoreContract } from "../../ports/contracts/cart_store_contract.ts";
import { MemoryCartStore } from "./carts.ts";
import { Outage } from "./outage.ts";

class StepClock {
  constructor(public ms = Date.UTC(2025, 0, 1)) {}
  now(): Date {
    return new Date(this.ms);
  }
}

cartStoreContract("MemoryCartStore", () =>
  Promise.resolve({
    subject: new MemoryCartStore(new StepClock()),
    close: () => Promise.resolve(),
  }));

Deno.test("MemoryCartStore", async (t) => {
  await t.step("a cart expires 30 days after its last change", async () => {
    const clock = new StepClock();
    const carts = new MemoryCartStore(clock);
    await carts.add("u1", "A", 1);
    clock.ms += CART_TTL_MS - 1;
    assert.deepEqual(await carts.get("u1"), { A: 1 }, "reading does not refresh");
    await carts.add("u1", "B", 1);
    clock.ms += CART_TTL_MS - 1;
    assert.deepEqual(await carts.get("u1"), { A: 1, B: 1 });
    clock.ms += 1;
    assert.deepEqual(await carts.get("u1"), {});
    assert.deepEqual(await carts.add("u1", "C", 1), { C: 1 }, "an expired cart starts afresh");
  });

  await t.step("takes its TTL from the constructor", async () => {
    const clock = new StepClock();
    const carts = new MemoryCartStore(clock, 1_000);
    await carts.set("u1", "A", 2);
    clock.ms += 1_000;
    assert.deepEqual(await carts.get("u1"), {});
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const outage = new Outage();
    const carts = new MemoryCartStore(new StepClock(), CART_TTL_MS, { outage });
    await carts.add("u1", "A", 1);
    outage.down = true;
    for (
      const call of [
        () => carts.get("u1"),
        () => carts.add("u1", "A", 1),
        () => carts.set("u1", "A", 1),
        () => carts.remove("u1", "A"),
        () => carts.clear("u1"),
      ]
    ) {
      await assert.rejects(
        call(),
        (e) => e instanceof DependencyUnavailable && e.dependency === "redis",
      );
    }
    outage.down = false;
    assert.deepEqual(await carts.get("u1"), { A: 1 }, "nothing changed while down");
  });
});
