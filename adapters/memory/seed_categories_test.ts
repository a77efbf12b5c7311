import assert from "node:assert/strict";
import {
  checkAttributes,
  definitionProblems,
  effectiveAttributes,
  lineage,
} from "../../domain/catalog/category.ts";
import { seedCatalog } from "./seed.ts";
import { placeInTree, SEED_CATEGORIES, seedCategories } from "./seed_categories.ts";

const NOW = new Date("2026-11-21T12:00:00.000Z");

Deno.test("the seed tree", async (t) => {
  const tree = seedCategories(NOW);
  const bySlug = new Map(tree.map((c) => [c.slug, c]));

  await t.step("has three levels, parents before children, consistent definitions", () => {
    assert.equal(bySlug.get("laptops")!.path, "electronics/computers/laptops");
    assert.equal(bySlug.get("headphones")!.path, "electronics/audio/headphones");
    assert.equal(bySlug.get("t-shirts")!.path, "apparel/t-shirts");
    assert.equal(bySlug.get("books")!.parent, null);
    const seen = new Set<string>();
    for (const c of SEED_CATEGORIES) {
      assert.ok(c.parent === null || seen.has(c.parent), `${c.slug} after its parent`);
      seen.add(c.slug);
      assert.deepEqual(definitionProblems(c.attributes), [], c.slug);
    }
  });

  await t.step("laptops inherit from computers and electronics", () => {
    const names = effectiveAttributes(lineage("laptops", bySlug)).map((d) => d.name);
    assert.deepEqual(names, ["color", "weight_kg", "cpu", "ram_gb", "storage_gb", "screen_in"]);
    const tshirt = effectiveAttributes(lineage("t-shirts", bySlug));
    assert.equal(tshirt.find((d) => d.name === "color")!.type, "enum", "t-shirts narrow color");
    assert.ok(tshirt.find((d) => d.name === "size")!.facet);
  });

  await t.step("every seeded product names a category and fits its effective attributes", () => {
    for (const p of placeInTree(seedCatalog(NOW).products, tree)) {
      const chain = lineage(p.category, bySlug);
      assert.deepEqual(checkAttributes(effectiveAttributes(chain), p.attrs, p.category), [], p.sku);
      assert.equal(p.categoryPath, chain.map((c) => c.slug).join("/"));
    }
  });
});
