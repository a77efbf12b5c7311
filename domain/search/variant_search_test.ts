import assert from "node:assert/strict";
import type { Product } from "../catalog/product.ts";
import { newInventoryItem } from "../inventory/stock.ts";
import { attrFacetCounts, facetAttrsOf, facetNamesOf, variantPricing } from "./variant_search.ts";

const AT = new Date("2026-01-01T00:00:00.000Z");
const tee: Pick<Product, "attrs" | "variants" | "version"> = {
  attrs: { material: "cotton" },
  variants: [
    { sku: "T-M", label: "M / Blue", attrs: { size: "M", color: "Blue" }, retired: false },
    { sku: "T-L", label: "L / Red", attrs: { size: "L", color: "Red" }, retired: false },
    { sku: "T-XL", label: "XL / Red", attrs: { size: "XL", color: "Red" }, retired: true },
  ],
  version: 4,
};
const row = (sku: string, price: number, stock: number, version = 1) => ({
  ...newInventoryItem({ sku, name: "Tee", unitPriceCents: price, currency: "USD", stock }, AT),
  version,
});

Deno.test("search documents of products sold in variants", async (t) => {
  await t.step("attribute values of the product and its live variants, as text", () => {
    assert.deepEqual(facetAttrsOf(tee), {
      color: ["Blue", "Red"],
      material: ["cotton"],
      size: ["L", "M"],
    });
    // The category's facetable names, kept where the product or a variant holds a value.
    assert.deepEqual(facetNamesOf(tee, ["size", "material", "fit"]), ["material", "size"]);
    assert.deepEqual(facetNamesOf(tee, []), [], "no facetable attributes: no facets");
  });

  await t.step("lowest live price, in stock when any live variant is, versions summed", () => {
    const rows = new Map([
      ["T-M", row("T-M", 2_500, 0, 3)],
      ["T-L", row("T-L", 2_200, 4, 2)],
      ["T-XL", row("T-XL", 1_000, 9, 5)],
    ]);
    const own = { priceCents: 2_000, inStock: false, version: 4 + 1 };
    assert.deepEqual(variantPricing(tee, own, rows), {
      priceCents: 2_200,
      inStock: true,
      version: 5 + 3 + 2 + 5,
    }, "a retired variant's price and stock do not count, its version does");
    rows.set("T-L", row("T-L", 2_200, 0, 3));
    assert.equal(variantPricing(tee, own, rows).inStock, false);
  });

  await t.step("facets count the facet names only, optionally restricted", () => {
    const docs = [
      { facetAttrs: facetAttrsOf(tee), facetNames: facetNamesOf(tee, ["color", "size"]) },
      { facetAttrs: { size: ["M"], material: ["wool"] }, facetNames: ["size"] },
    ];
    assert.deepEqual(attrFacetCounts(docs), {
      color: [{ value: "Blue", count: 1 }, { value: "Red", count: 1 }],
      size: [{ value: "M", count: 2 }, { value: "L", count: 1 }],
    });
    assert.deepEqual(Object.keys(attrFacetCounts(docs, ["size"])), ["size"]);
  });
});
