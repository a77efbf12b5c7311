import assert from "node:assert/strict";
import { CartNotFound, PreconditionFailed } from "../../domain/errors.ts";
import { type CartStore, guestCart, userCart, type VersionedCart } from "../cart/carts.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * What every `CartStore` keeps about versions, conditional writes, guest carts and merging a
 * guest cart into a user's. Each step uses its own ids, so the suite may share a server.
 */
export function cartGuestContract(
  label: string,
  make: MakeFixture<CartStore>,
  options: ContractOptions = {},
): void {
  defineContract("CartStore versions and guests", label, make, options, async (run) => {
    const step = (name: string, body: (carts: CartStore, id: string) => Promise<void>) =>
      run(name, (carts) => body(carts, crypto.randomUUID()));
    const isStale = (version: number, lines: Record<string, number>) => (e: unknown) => {
      assert.ok(e instanceof PreconditionFailed, `expected PreconditionFailed, got ${e}`);
      assert.equal(e.resource, "cart");
      assert.equal(e.version, version);
      assert.deepEqual(e.current, { lines, version });
      return true;
    };

    await step("a user cart starts at version 0; every change raises it", async (carts, id) => {
      const user = userCart(id);
      assert.deepEqual(await carts.get(user), { lines: {}, version: 0 });
      const seen = [0];
      for (
        const change of [
          () => carts.add(user, "A", 2),
          () => carts.set(user, "B", 1),
          () => carts.remove(user, "B"),
          () => carts.subtract(user, [{ sku: "A", qty: 1 }]),
          () => carts.clear(user),
          () => carts.add(user, "A", 1),
        ]
      ) {
        const { version } = await change();
        assert.ok(version > seen.at(-1)!, `version ${version} after ${seen}`);
        seen.push(version);
      }
      assert.deepEqual(await carts.get(user), { lines: { A: 1 }, version: seen.at(-1) });
      const same = await carts.subtract(user, [{ sku: "Z", qty: 1 }]);
      assert.equal(same.version, seen.at(-1), "a subtract that takes nothing keeps the version");
    });

    await step("a write at the current version applies", async (carts, id) => {
      const user = userCart(id);
      const first = await carts.add(user, "A", 1, { ifVersion: 0 });
      assert.deepEqual(first.lines, { A: 1 });
      const second = await carts.set(user, "A", 4, { ifVersion: first.version });
      assert.deepEqual(second.lines, { A: 4 });
      const third = await carts.remove(user, "A", { ifVersion: second.version });
      assert.deepEqual((await carts.clear(user, { ifVersion: third.version })).lines, {});
    });

    await step(
      "a write at an old version changes nothing and names the current cart",
      async (carts, id) => {
        const user = userCart(id);
        const old = await carts.add(user, "A", 1);
        const now = await carts.add(user, "A", 1);
        const when = { ifVersion: old.version };
        const current = { A: 2 };
        await assert.rejects(carts.add(user, "A", 5, when), isStale(now.version, current));
        await assert.rejects(carts.set(user, "B", 1, when), isStale(now.version, current));
        await assert.rejects(carts.remove(user, "A", when), isStale(now.version, current));
        await assert.rejects(carts.clear(user, when), isStale(now.version, current));
        assert.deepEqual(await carts.get(user), now);
      },
    );

    await step("of 20 concurrent writes at one version exactly one applies", async (carts, id) => {
      const user = userCart(id);
      const { version } = await carts.add(user, "A", 1);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => carts.set(user, "A", i + 2, { ifVersion: version })),
      );
      const applied = results.filter((r) => r.status === "fulfilled");
      assert.equal(applied.length, 1);
      for (const r of results) {
        if (r.status === "rejected") assert.ok(r.reason instanceof PreconditionFailed);
      }
      const won = (applied[0] as PromiseFulfilledResult<VersionedCart>).value;
      assert.deepEqual(await carts.get(user), won);
    });

    await step("a guest cart exists only once created", async (carts, id) => {
      const guest = guestCart(id);
      for (
        const call of [
          () => carts.get(guest),
          () => carts.add(guest, "A", 1),
          () => carts.set(guest, "A", 1),
          () => carts.remove(guest, "A"),
          () => carts.clear(guest),
          () => carts.subtract(guest, [{ sku: "A", qty: 1 }]),
        ]
      ) {
        await assert.rejects(call(), CartNotFound);
      }
      const created = await carts.createGuest(id, "A", 2);
      assert.deepEqual(created.lines, { A: 2 });
      assert.ok(created.version > 0);
      assert.deepEqual((await carts.add(guest, "B", 1)).lines, { A: 2, B: 1 });
      const cleared = await carts.clear(guest);
      assert.deepEqual(await carts.get(guest), cleared, "an emptied guest cart stays");
      assert.deepEqual((await carts.add(guest, "C", 1, { ifVersion: cleared.version })).lines, {
        C: 1,
      });
      assert.deepEqual(await carts.get(userCart(id)), { lines: {}, version: 0 }, "not a user's");
    });

    await step("a claimed guest cart answers no guest call", async (carts, id) => {
      await carts.createGuest(id, "A", 2);
      assert.deepEqual(await carts.claimGuest(id, "u1"), { A: 2 });
      await assert.rejects(carts.get(guestCart(id)), CartNotFound);
      await assert.rejects(carts.add(guestCart(id), "A", 1), CartNotFound);
      assert.equal(await carts.claimGuest(id, "u2"), null, "another user cannot take it");
      assert.deepEqual(await carts.claimGuest(id, "u1"), { A: 2 }, "the same user can retry");
      assert.equal(await carts.claimGuest(`${id}-unknown`, "u1"), null);
      await carts.discardGuest(id);
      await carts.discardGuest(id);
      assert.equal(await carts.claimGuest(id, "u1"), null);
    });

    await step("of 10 users claiming one guest cart at once, one gets it", async (carts, id) => {
      await carts.createGuest(id, "A", 1);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => carts.claimGuest(id, `user-${i}`)),
      );
      assert.equal(claims.filter((c) => c !== null).length, 1);
    });

    await step(
      "mergeInto adds up to each line's max, never lowers a line, once per guest cart",
      async (carts, id) => {
        const user = userCart(id);
        await carts.add(user, "A", 2);
        const before = await carts.add(user, "C", 9);
        const merged = await carts.mergeInto(id, "guest-1", [
          { sku: "A", qty: 5, max: 4 },
          { sku: "B", qty: 1, max: 10 },
          { sku: "C", qty: 1, max: 5 },
        ]);
        assert.equal(merged.applied, true);
        assert.deepEqual(merged.cart.lines, { A: 4, B: 1, C: 9 });
        assert.ok(merged.cart.version > before.version);
        const again = await carts.mergeInto(id, "guest-1", [{ sku: "B", qty: 1, max: 10 }]);
        assert.deepEqual(again, { cart: merged.cart, applied: false });
        const other = await carts.mergeInto(id, "guest-2", [{ sku: "B", qty: 1, max: 10 }]);
        assert.deepEqual(other.cart.lines, { A: 4, B: 2, C: 9 });
        assert.deepEqual(await carts.get(user), other.cart);
      },
    );

    await step("10 concurrent merges of one guest cart add it once", async (carts, id) => {
      const results = await Promise.all(
        Array.from(
          { length: 10 },
          () => carts.mergeInto(id, "guest-1", [{ sku: "A", qty: 3, max: 100 }]),
        ),
      );
      assert.equal(results.filter((r) => r.applied).length, 1);
      assert.deepEqual((await carts.get(userCart(id))).lines, { A: 3 });
    });
  });
}
