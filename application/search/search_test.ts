import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { SearchQuery } from "../../domain/search/search.ts";
import { testCore } from "../../testing/core.ts";
import { searchProducts } from "./search.ts";

const THINKPADS = ["LAP-001", "LAP-002", "LAP-003", "LAP-004", "LAP-005"];

const query = (q: string, more: Partial<SearchQuery> = {}): SearchQuery => ({
  q,
  sort: "relevance",
  page: 1,
  size: 20,
  ...more,
});

function rejectsIndexDown(error: unknown): true {
  assert.ok(error instanceof DependencyUnavailable, String(error));
  assert.equal(error.code, "dependency_unavailable");
  assert.equal(error.dependency, "elasticsearch");
  return true;
}

Deno.test("searchProducts() finds products despite typos", async (t) => {
  await t.step('"thinkpadd" finds the ThinkPads first and suggests "thinkpad"', async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("thinkpadd"));
    assert.deepEqual(result.items.slice(0, 5).map((i) => i.sku).sort(), THINKPADS);
    assert.deepEqual(result.suggestions, ["thinkpad"]);
    assert.ok(result.items[0].highlight.name?.[0].includes("<em>ThinkPad</em>"));
  });

  await t.step('"lenvo" finds Lenovo products only and suggests "lenovo"', async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("lenvo"));
    assert.ok(result.total >= 5);
    assert.ok(result.items.every((i) => i.brand === "Lenovo"));
    for (const sku of THINKPADS) assert.ok(result.items.some((i) => i.sku === sku), sku);
    assert.deepEqual(result.suggestions, ["lenovo"]);
  });

  await t.step("a correctly spelt query suggests nothing", async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("thinkpad"));
    assert.deepEqual(result.suggestions, []);
    assert.deepEqual(result.items.slice(0, 5).map((i) => i.sku).sort(), THINKPADS);
  });

  await t.step("every term must match", async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("thinkpad yoga"));
    assert.deepEqual(result.items.map((i) => i.sku), ["LAP-003"]);
  });
});

Deno.test("searchProducts() filters, facets and sorts", async (t) => {
  await t.step("an empty query with inStock=false lists the sold-out products", async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("", { inStock: false }));
    assert.deepEqual(result.items.map((i) => i.sku).sort(), [
      "HDP-001",
      "MON-004",
      "SHO-009",
    ]);
    assert.ok(result.items.every((i) => !i.inStock));
  });

  await t.step("category, brand and price bounds, with facets over the hits", async () => {
    const { useCases } = await testCore();
    const result = await useCases.search(query("", {
      category: "headphones",
      minPriceCents: 20_000,
      maxPriceCents: 39_900,
      sort: "price_asc",
    }));
    assert.ok(result.total > 0);
    assert.ok(
      result.items.every((i) =>
        i.category === "headphones" && i.priceCents >= 20_000 && i.priceCents <= 39_900
      ),
    );
    assert.ok(
      result.items.every((hit, n) => n === 0 || result.items[n - 1].priceCents <= hit.priceCents),
    );
    assert.deepEqual(result.facets.category, [], "headphones has no children to count");
    const buckets = Object.fromEntries(result.facets.price.map((b) => [b.key, b.count]));
    assert.equal(buckets["200_500"], result.total);
    const sony = await useCases.search(query("", { category: "headphones", brand: "Sony" }));
    assert.deepEqual(sony.items.map((i) => i.sku).sort(), ["HDP-001", "HDP-005", "HDP-012"]);
  });

  await t.step("a parent category covers its subtree; the facet counts its children", async () => {
    const { useCases } = await testCore();
    const electronics = await useCases.search(query("", { category: "electronics", size: 100 }));
    const leaves = new Set(electronics.items.map((i) => i.category));
    assert.deepEqual([...leaves].sort(), ["headphones", "laptops", "monitors", "phones"]);
    assert.deepEqual(electronics.facets.category.map((f) => f.value).sort(), [
      "audio",
      "computers",
      "phones",
    ]);
    const computers = electronics.facets.category.find((f) => f.value === "computers")!;
    const laptops = await useCases.search(query("", { category: "laptops" }));
    const monitors = await useCases.search(query("", { category: "monitors" }));
    assert.equal(computers.count, laptops.total + monitors.total);
    const roots = await useCases.search(query("", { size: 1 }));
    assert.deepEqual(roots.facets.category.map((f) => f.value).sort(), [
      "apparel",
      "books",
      "electronics",
    ]);
  });

  await t.step("pages through the hits", async () => {
    const { useCases } = await testCore();
    const all = await useCases.search(query("", { sort: "price_desc", size: 100 }));
    assert.equal(all.total, 74);
    const page = await useCases.search(query("", { sort: "price_desc", page: 3, size: 10 }));
    assert.deepEqual(page.items.map((i) => i.sku), all.items.slice(20, 30).map((i) => i.sku));
  });

  await t.step(
    "fails with DependencyUnavailable while the index is down, and recovers",
    async () => {
      const core = await testCore();
      core.outages.elasticsearch.down = true;
      await assert.rejects(core.useCases.search(query("thinkpad")), rejectsIndexDown);
      core.outages.elasticsearch.down = false;
      assert.ok((await core.useCases.search(query("thinkpad"))).total >= 5);
    },
  );
});

Deno.test("autocomplete() suggests products by name prefix", async (t) => {
  await t.step("word prefixes match, leading matches first", async () => {
    const { useCases } = await testCore();
    const suggestions = await useCases.autocomplete({ prefix: "think", limit: 10 });
    assert.ok(suggestions.length >= 6);
    assert.ok(suggestions.every((s) => /think/i.test(s.name)));
    for (const sku of THINKPADS) assert.ok(suggestions.some((s) => s.sku === sku), sku);
    const dune = await useCases.autocomplete({ prefix: "Dun", limit: 10 });
    assert.deepEqual(dune, [{ sku: "BOK-010", name: "Dune", slug: "dune" }]);
  });

  await t.step("respects the limit", async () => {
    const { useCases } = await testCore();
    assert.equal((await useCases.autocomplete({ prefix: "lenovo", limit: 2 })).length, 2);
  });

  await t.step("a blank prefix suggests nothing without asking the index", async () => {
    const core = await testCore();
    core.outages.elasticsearch.down = true;
    assert.deepEqual(await core.useCases.autocomplete({ prefix: "   ", limit: 5 }), []);
  });

  await t.step("fails with DependencyUnavailable while the index is down", async () => {
    const core = await testCore();
    core.outages.elasticsearch.down = true;
    await assert.rejects(
      core.useCases.autocomplete({ prefix: "think", limit: 5 }),
      rejectsIndexDown,
    );
  });
});

Deno.test("searchProducts() filters and facets by variant attributes", async (t) => {
  await t.step("attr filters match any live variant; facets count per attribute", async () => {
    const { useCases } = await testCore();
    const tees = await useCases.search(query("", { category: "t-shirts" }));
    assert.equal(tees.total, 4);
    assert.deepEqual(
      tees.facets.attrs.size?.map((f) => f.value).sort(),
      ["L", "M", "S", "XL", "XS", "XXL"],
    );
    const blueL = await useCases.search(query("", {
      category: "t-shirts",
      attrs: [{ name: "color", value: "Blue" }, { name: "size", value: "L" }],
    }));
    assert.deepEqual(blueL.items.map((i) => i.sku).sort(), ["TSH-002", "TSH-004"]);
    const xs = await useCases.search(query("", { attrs: [{ name: "size", value: "XS" }] }));
    assert.deepEqual(xs.items.map((i) => i.sku), ["TSH-003"]);
    const ram = await useCases.search(query("", { attrs: [{ name: "ram_gb", value: "64" }] }));
    assert.deepEqual(ram.items.map((i) => i.sku).sort(), ["LAP-001", "LAP-005"]);
  });

  await t.step("the price filter and buckets use the lowest variant price", async () => {
    const { useCases } = await testCore();
    const tee = await useCases.search(query("", {
      category: "t-shirts",
      brand: "Patagonia",
    }));
    assert.equal(tee.items[0].priceCents, 4500, "XXL costs 4800, the rest 4500");
  });
});

Deno.test("search facets count the attributes the category declares facetable", async (t) => {
  await t.step(
    "effective facet: true definitions (inherited too), product or variant values",
    async () => {
      const { useCases } = await testCore();
      const tees = await useCases.search(query("", { category: "t-shirts" }));
      // t-shirts declare size, color, material and fit facetable; apparel adds gender.
      assert.ok("size" in tees.facets.attrs && "color" in tees.facets.attrs);
      assert.ok("material" in tees.facets.attrs, "a product attribute the category declares");
      const books = await useCases.search(query("", { category: "books" }));
      assert.deepEqual(Object.keys(books.facets.attrs).sort(), ["format", "language"]);
    },
  );

  await t.step("a category without facetable attributes gives its products none", async () => {
    const core = await testCore();
    const books = await core.useCases.getCategory("books");
    await core.useCases.updateCategory("books", {
      attributes: books.attributes.map((a) => ({ ...a, facet: false })),
    });
    await core.syncAll();
    const after = await core.useCases.search(query("", { category: "books" }));
    assert.ok(after.total > 0);
    assert.deepEqual(after.facets.attrs, {});
  });

  await t.step("a facet flag changed on an ancestor reaches the subtree's documents", async () => {
    const core = await testCore();
    const apparel = await core.useCases.getCategory("apparel");
    const tees = await core.useCases.getCategory("t-shirts");
    // t-shirts stop declaring material; apparel declares it, not facetable: nearest wins.
    await core.useCases.updateCategory("t-shirts", {
      attributes: tees.attributes.filter((a) => a.name !== "material").map((a) => ({ ...a })),
    });
    await core.useCases.updateCategory("apparel", {
      attributes: [
        ...apparel.attributes.map((a) => ({ ...a })),
        { name: "material", type: "string", required: false, facet: false },
      ],
    });
    await core.syncAll();
    const after = await core.useCases.search(query("", { category: "t-shirts" }));
    assert.ok(!("material" in after.facets.attrs), Object.keys(after.facets.attrs).join());
    assert.ok("size" in after.facets.attrs);
    await core.useCases.updateCategory("apparel", {
      attributes: [
        ...apparel.attributes.map((a) => ({ ...a })),
        { name: "material", type: "string", required: false, facet: true },
      ],
    });
    await core.syncAll();
    const again = await core.useCases.search(query("", { category: "t-shirts" }));
    assert.ok("material" in again.facets.attrs, "turned back on");
  });
});

Deno.test("searchProducts() shares one index query among identical searches in flight", async () => {
  const core = await testCore();
  let queries = 0;
  const index = {
    ...core.ports.index,
    search: (q: SearchQuery) => (queries++, core.ports.index.search(q)),
  };
  const deps = { index, clock: core.ports.clock };
  const [a, b, c] = await Promise.all([
    searchProducts(deps, query("thinkpad")),
    searchProducts(deps, query("thinkpad")),
    searchProducts(deps, query("thinkpad", { page: 2 })),
  ]);
  assert.equal(queries, 2);
  assert.deepEqual(a, b);
  assert.equal(c.page, 2);
  await searchProducts(deps, query("thinkpad"));
  assert.equal(queries, 3, "a later search queries afresh");
  const reusing = { ...deps, reuseMs: 60_000 };
  const answered = await searchProducts(reusing, query("thinkpad"));
  assert.equal(await searchProducts(reusing, query("thinkpad")), answered, "answered again");
  assert.equal(queries, 4, "with reuseMs, one answered within it is not asked again");
});
