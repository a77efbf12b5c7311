import assert from "node:assert/strict";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";
import type { ShippingRates } from "../shipping/shipping_rates.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

function zone(overrides: Partial<ShippingZone> = {}): ShippingZone {
  return { id: crypto.randomUUID(), name: "Europe", countries: ["DE", "FR"], ...overrides };
}

function option(zoneId: string, overrides: Partial<ShippingOption> = {}): ShippingOption {
  return {
    id: crypto.randomUUID(),
    zoneId,
    name: "Standard",
    priceCents: 495,
    currency: "EUR",
    freeOverCents: 5_000,
    estimatedDays: { min: 2, max: 4 },
    ...overrides,
  };
}

export function shippingRatesContract(
  label: string,
  make: MakeFixture<ShippingRates>,
  options: ContractOptions = {},
): void {
  defineContract("ShippingRates", label, make, options, async (step) => {
    await step("zones are created, read, listed by name, replaced and deleted", async (s) => {
      const eu = await s.createZone(zone());
      const uk = await s.createZone(zone({ name: "Britain", countries: ["GB"] }));
      assert.deepEqual(await s.zone(eu.id), eu);
      assert.deepEqual((await s.zones()).map((z) => z.id), [uk.id, eu.id]);
      const wider = { ...eu, countries: ["DE", "FR", "AT"] };
      assert.deepEqual(await s.replaceZone(wider), wider);
      assert.deepEqual(await s.zone(eu.id), wider);
      assert.equal(await s.deleteZone(uk.id), true);
      assert.equal(await s.deleteZone(uk.id), false);
      assert.equal(await s.zone(uk.id), null);
    });

    await step("a taken zone id is AlreadyExists, an unknown one NotFound", async (s) => {
      const eu = await s.createZone(zone());
      await assert.rejects(s.createZone({ ...eu }), AlreadyExists);
      await assert.rejects(s.replaceZone(zone()), NotFound);
    });

    await step("options are created, listed by zone and price, replaced, deleted", async (s) => {
      const eu = await s.createZone(zone());
      const express = await s.createOption(option(eu.id, { name: "Express", priceCents: 1_500 }));
      const std = await s.createOption(option(eu.id, { freeOverCents: null }));
      assert.deepEqual(await s.option(std.id), std);
      assert.deepEqual(await s.optionWithZone(std.id), { option: std, zone: eu });
      assert.equal(await s.optionWithZone(crypto.randomUUID()), null);
      assert.deepEqual((await s.options()).map((o) => o.id), [std.id, express.id]);
      const slower = { ...express, estimatedDays: { min: 3, max: 5 }, freeOverCents: 10_000 };
      assert.deepEqual(await s.replaceOption(slower), slower);
      assert.deepEqual(await s.option(express.id), slower);
      assert.equal(await s.deleteOption(std.id), true);
      assert.equal(await s.deleteOption(std.id), false);
    });

    await step("an option of an unknown zone is NotFound", async (s) => {
      await assert.rejects(s.createOption(option(crypto.randomUUID())), NotFound);
      const eu = await s.createZone(zone());
      const o = await s.createOption(option(eu.id));
      await assert.rejects(s.replaceOption({ ...o, zoneId: crypto.randomUUID() }), NotFound);
      await assert.rejects(s.replaceOption(option(eu.id)), NotFound);
      await assert.rejects(s.createOption({ ...o }), AlreadyExists);
    });

    await step("deleting a zone deletes its options", async (s) => {
      const eu = await s.createZone(zone());
      const o = await s.createOption(option(eu.id));
      await s.deleteZone(eu.id);
      assert.equal(await s.option(o.id), null);
      assert.equal(await s.optionWithZone(o.id), null);
      assert.deepEqual(await s.options(), []);
    });
  });
}
