import assert from "node:assert/strict";
import {
  compareProducts,
  matchesAttr,
  matchesQuery,
  parseAttrValue,
  type Product,
  slugify,
} from "./product.ts";

const base: Product = {
  sku: "LAP-1",
  name: "Laptop",
  slug: "laptop",
  category: "laptops",
  brand: "Lenovo",
  description: "",
  images: [],
  attrs: { ram_gb: 32, cpu: "i7", touch: true },
  variants: [],
  tags: ["business"],
  ratings: { avg: 4.5, count: 10 },
  priceCents: 100_000,
  currency: "USD",
  publishedAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  version: 1,
};

Deno.test("catalog rules", async (t) => {
  await t.step("slugify() makes lowercase ASCII slugs", () => {
    assert.equal(slugify("Lenovo ThinkPad X1 Carbon (Gen 12)"), "lenovo-thinkpad-x1-carbon-gen-12");
    assert.equal(slugify("Crème Brûlée!"), "creme-brulee");
  });

  await t.step("parseAttrValue() reads numbers and booleans from query text", () => {
    assert.equal(parseAttrValue("32"), 32);
    assert.equal(parseAttrValue("13.3"), 13.3);
    assert.equal(parseAttrValue("true"), true);
    assert.equal(parseAttrValue("i7"), "i7");
    assert.equal(parseAttrValue('{"$gt":""}'), '{"$gt":""}');
  });

  await t.step("matchesAttr() compares like types only", () => {
    assert.equal(matchesAttr(base.attrs, { name: "ram_gb", op: "gte", value: 32 }), true);
    assert.equal(matchesAttr(base.attrs, { name: "ram_gb", op: "gt", value: 32 }), false);
    assert.equal(matchesAttr(base.attrs, { name: "ram_gb", op: "lt", value: 64 }), true);
    assert.equal(matchesAttr(base.attrs, { name: "ram_gb", op: "gte", value: "16" }), false);
    assert.equal(matchesAttr(base.attrs, { name: "cpu", op: "eq", value: "i7" }), true);
    assert.equal(matchesAttr(base.attrs, { name: "touch", op: "eq", value: true }), true);
    assert.equal(matchesAttr(base.attrs, { name: "touch", op: "gt", value: false }), false);
    assert.equal(matchesAttr(base.attrs, { name: "missing", op: "eq", value: 1 }), false);
  });

  await t.step("matchesQuery() applies every filter", () => {
    const q = { attrs: [], sort: "newest" as const, page: 1, size: 10 };
    assert.equal(matchesQuery(base, { ...q, category: "laptops", tag: "business" }), true);
    assert.equal(matchesQuery(base, { ...q, brand: "Dell" }), false);
    assert.equal(matchesQuery(base, { ...q, minRating: 4.6 }), false);
  });

  await t.step("compareProducts() sorts and breaks ties by SKU", () => {
    const cheap = { ...base, sku: "B", priceCents: 10 };
    const tie = { ...base, sku: "A", priceCents: 10 };
    assert.deepEqual([base, cheap, tie].sort(compareProducts("price_asc")).map((p) => p.sku), [
      "A",
      "B",
      "LAP-1",
    ]);
    const newer = { ...base, sku: "N", publishedAt: new Date("2026-06-01T00:00:00Z") };
    assert.equal([base, newer].sort(compareProducts("newest"))[0].sku, "N");
  });
});
