import assert from "node:assert/strict";
import { DuplicateSku, InvalidVariantPrice } from "../errors.ts";
import type { Variant } from "./product.ts";
import { liveVariants, planVariants, resolveVariantPrice, skusOf } from "./variant.ts";

const v = (sku: string, retired = false): Variant => ({
  sku,
  label: sku,
  attrs: { size: sku },
  retired,
});
const input = (sku: string, label = sku) => ({ sku, label, attrs: { size: sku } });

Deno.test("resolveVariantPrice() writes an absolute price", async (t) => {
  await t.step("absolute, relative to the base, or the base", () => {
    assert.equal(resolveVariantPrice(2_000, { ...input("A"), priceCents: 1_500 }), 1_500);
    assert.equal(resolveVariantPrice(2_000, { ...input("A"), priceAdjustmentCents: 250 }), 2_250);
    assert.equal(resolveVariantPrice(2_000, { ...input("A"), priceAdjustmentCents: -2_000 }), 0);
    assert.equal(resolveVariantPrice(2_000, input("A")), 2_000);
  });

  await t.step("below zero is InvalidVariantPrice", () => {
    assert.throws(
      () => resolveVariantPrice(100, { ...input("A"), priceAdjustmentCents: -101 }),
      (e) => e instanceof InvalidVariantPrice && e.priceCents === -1,
    );
  });
});

Deno.test("planVariants() turns the list to sell into adds, changes and retirements", async (t) => {
  const product = { sku: "P", variants: [v("P-S"), v("P-M"), v("P-L", true)] };

  await t.step("new SKUs added, listed changed, live ones left out retired", () => {
    const plan = planVariants(product, [input("P-M", "Medium"), input("P-XL")]);
    assert.deepEqual(plan.added.map((a) => a.sku), ["P-XL"]);
    assert.deepEqual(plan.changed.map((c) => c.sku), ["P-M"]);
    assert.deepEqual(plan.retired, ["P-S"]);
    assert.deepEqual(plan.variants.map((x) => [x.sku, x.label, x.retired]), [
      ["P-S", "P-S", true],
      ["P-M", "Medium", false],
      ["P-L", "P-L", true],
      ["P-XL", "P-XL", false],
    ]);
    assert.deepEqual(skusOf({ sku: "P", variants: plan.variants }), [
      "P",
      "P-S",
      "P-M",
      "P-L",
      "P-XL",
    ]);
    assert.deepEqual(liveVariants({ variants: plan.variants }).map((x) => x.sku), [
      "P-M",
      "P-XL",
    ]);
  });

  await t.step("repeats, the product's own SKU and a retired SKU are DuplicateSku", () => {
    const refused = (list: ReturnType<typeof input>[], skus: string[]) =>
      assert.throws(
        () => planVariants(product, list),
        (e) => e instanceof DuplicateSku && e.skus.join() === skus.join(),
      );
    refused([input("P-S"), input("P-S")], ["P-S"]);
    refused([input("P")], ["P"]);
    refused([input("P-L")], ["P-L"]);
  });
});
