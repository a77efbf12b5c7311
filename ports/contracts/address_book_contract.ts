import assert from "node:assert/strict";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { Address } from "../../domain/identity/address.ts";
import type { AddressBook } from "../identity/address_book.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

export interface AddressBookFixture {
  readonly book: AddressBook;
  /** A user the book may hold addresses for (a real row where addresses reference users). */
  newUser(): Promise<string>;
}

export function testAddress(userId: string, overrides: Partial<Address> = {}): Address {
  return {
    id: crypto.randomUUID(),
    userId,
    name: "Ada Lovelace",
    line1: "12 St James's Square",
    line2: null,
    city: "London",
    region: null,
    postalCode: "SW1Y 4JH",
    country: "GB",
    phone: null,
    isDefaultShipping: false,
    isDefaultBilling: false,
    ...overrides,
  };
}

export function addressBookContract(
  label: string,
  make: MakeFixture<AddressBookFixture>,
  options: ContractOptions = {},
): void {
  defineContract("AddressBook", label, make, options, async (step) => {
    await step(
      "add() stores an address that get() and list() return",
      async ({ book, newUser }) => {
        const user = await newUser();
        const a = testAddress(user, { line2: "Flat 2", region: "LND", phone: "+44 20 7946 0000" });
        const b = testAddress(user, { city: "Bath" });
        assert.deepEqual(await book.add(a), a);
        await book.add(b);
        assert.deepEqual(await book.get(user, a.id), a);
        assert.deepEqual((await book.list(user)).map((x) => x.id), [a.id, b.id]);
      },
    );

    await step("another user's address is absent to get, update and remove", async (fx) => {
      const owner = await fx.newUser();
      const other = await fx.newUser();
      const a = await fx.book.add(testAddress(owner));
      assert.equal(await fx.book.get(other, a.id), null);
      assert.deepEqual(await fx.book.list(other), []);
      await assert.rejects(fx.book.update(other, a.id, { city: "Paris" }), NotFound);
      assert.equal(await fx.book.remove(other, a.id), false);
      assert.deepEqual(await fx.book.get(owner, a.id), a);
    });

    await step("add() refuses a taken id", async ({ book, newUser }) => {
      const user = await newUser();
      const a = await book.add(testAddress(user));
      await assert.rejects(book.add({ ...a, city: "York" }), AlreadyExists);
    });

    await step("a new default clears the previous one of that kind only", async (fx) => {
      const user = await fx.newUser();
      const a = await fx.book.add(
        testAddress(user, { isDefaultShipping: true, isDefaultBilling: true }),
      );
      const b = await fx.book.add(testAddress(user, { isDefaultShipping: true }));
      assert.equal(b.isDefaultShipping, true);
      const first = await fx.book.get(user, a.id);
      assert.equal(first?.isDefaultShipping, false);
      assert.equal(first?.isDefaultBilling, true);
      await fx.book.update(user, b.id, { isDefaultBilling: true });
      const all = await fx.book.list(user);
      assert.deepEqual(all.map((x) => [x.isDefaultShipping, x.isDefaultBilling]), [
        [false, false],
        [true, true],
      ]);
    });

    await step("defaults are per user", async (fx) => {
      const u1 = await fx.newUser();
      const u2 = await fx.newUser();
      const a = await fx.book.add(testAddress(u1, { isDefaultShipping: true }));
      await fx.book.add(testAddress(u2, { isDefaultShipping: true }));
      assert.equal((await fx.book.get(u1, a.id))?.isDefaultShipping, true);
    });

    await step("concurrent defaults leave exactly one", async (fx) => {
      const user = await fx.newUser();
      await Promise.all(
        Array.from(
          { length: 8 },
          () => fx.book.add(testAddress(user, { isDefaultShipping: true })),
        ),
      );
      const all = await fx.book.list(user);
      assert.equal(all.length, 8);
      assert.equal(all.filter((x) => x.isDefaultShipping).length, 1);
    });

    await step("update() patches the given fields and may clear optional ones", async (fx) => {
      const user = await fx.newUser();
      const a = await fx.book.add(testAddress(user, { line2: "Flat 2" }));
      const b = await fx.book.update(user, a.id, { city: "Leeds", line2: null });
      assert.deepEqual(b, { ...a, city: "Leeds", line2: null });
      assert.deepEqual(await fx.book.get(user, a.id), b);
      await assert.rejects(fx.book.update(user, crypto.randomUUID(), { city: "x" }), NotFound);
    });

    await step("remove() deletes the user's address once", async ({ book, newUser }) => {
      const user = await newUser();
      const a = await book.add(testAddress(user));
      assert.equal(await book.remove(user, a.id), true);
      assert.equal(await book.remove(user, a.id), false);
      assert.equal(await book.get(user, a.id), null);
    });
  });
}
