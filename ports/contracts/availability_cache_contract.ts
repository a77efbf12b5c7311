import assert from "node:assert/strict";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import type { AvailabilityCache } from "../inventory/availability_cache.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

const AT = new Date("2030-01-01T00:00:00.000Z");
const HOUR = 3_600_000;

function item(sku: string, version: number, stock = 5, reserved = 0) {
  return {
    ...newInventoryItem({
      sku,
      productSku: `${sku}-P`,
      variantLabel: version % 2 === 0 ? "Blue / L" : null,
      name: `Item ${sku}`,
      unitPriceCents: 1_250,
      currency: "USD",
      stock,
    }, AT),
    reserved,
    version,
  };
}

const uid = () => `SKU-${crypto.randomUUID()}`;

/**
 * The behaviour every `AvailabilityCache` keeps. Expiry is checked in real time (a 300 ms TTL,
 * polled for up to 3 s), so the subject must run on the system clock.
 */
export function availabilityCacheContract(
  label: string,
  make: MakeFixture<AvailabilityCache>,
  options: ContractOptions = {},
): void {
  defineContract("AvailabilityCache", label, make, options, async (step) => {
    await step("put() then getMany() returns the item intact; misses are left out", async (c) => {
      const [a, b] = [item(uid(), 2, 9, 4), item(uid(), 3)];
      await c.put(a, HOUR);
      await c.put(b, HOUR);
      const found = await c.getMany([a.sku, uid(), b.sku, a.sku]);
      assert.deepEqual([...found.keys()].sort(), [a.sku, b.sku].sort());
      assert.deepEqual(found.get(a.sku), a);
      assert.ok(found.get(b.sku)?.updatedAt instanceof Date);
      assert.deepEqual((await c.getMany([])).size, 0);
    });

    await step("an older version never overwrites a newer one; a newer one does", async (c) => {
      const sku = uid();
      await c.put(item(sku, 5, 10, 3), HOUR);
      await c.put(item(sku, 4, 10, 0), HOUR);
      assert.equal((await c.getMany([sku])).get(sku)?.reserved, 3);
      await c.put(item(sku, 6, 10, 7), HOUR);
      assert.equal((await c.getMany([sku])).get(sku)?.reserved, 7);
      await c.put(item(sku, 6, 10, 8), HOUR);
      assert.equal((await c.getMany([sku])).get(sku)?.reserved, 8, "the same version: replaced");
    });

    await step("invalidate() drops the entry", async (c) => {
      const sku = uid();
      await c.put(item(sku, 1), HOUR);
      await c.invalidate(sku);
      assert.equal((await c.getMany([sku])).size, 0);
      await c.invalidate(uid()); // unknown: no error
      await c.put(item(sku, 1), HOUR);
      assert.equal((await c.getMany([sku])).size, 1, "after a drop any version is stored");
    });

    await step("entries expire after their TTL", async (c) => {
      const sku = uid();
      await c.put(item(sku, 1), 300);
      assert.equal((await c.getMany([sku])).size, 1);
      const deadline = Date.now() + 3_000;
      while ((await c.getMany([sku])).size > 0) {
        assert.ok(Date.now() < deadline, "still cached 3 s after a 300 ms TTL");
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}
