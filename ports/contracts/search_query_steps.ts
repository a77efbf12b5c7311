/**
 * Matching, filtering, sorting and paging, part of the `SearchIndex` contract
 * (`searchIndexContract` runs these steps in its one `Deno.test`, in order).
 */
import assert from "node:assert/strict";
import type { SearchQuery } from "../../domain/search/search.ts";
import type { Step } from "./_fixture.ts";
import type { SearchIndex } from "../search/search_index.ts";
import {
  doc,
  eventually,
  query,
  skus,
  uid,
  uniqueCategory,
  uniqueWord,
} from "./_search_fixture.ts";

/** Words, typos and term matching, then filters, sorts, pages and the category subtree. */
export async function matchingSteps(step: Step<SearchIndex>): Promise<void> {
  await step("a document put is found by its words, with its fields", async (index) => {
    const category = uniqueCategory();
    const d = doc({ category, name: "Lenovo ThinkPad X1 Carbon", brand: "Lenovo" });
    await index.put(d);
    const result = await eventually(
      () => index.search(query({ q: "thinkpad", category })),
      (r) => assert.deepEqual(skus(r), [d.sku]),
    );
    const { highlight: _highlight, ...hit } = result.items[0];
    assert.deepEqual(hit, {
      sku: d.sku,
      name: d.name,
      slug: d.slug,
      category: d.category,
      brand: d.brand,
      priceCents: d.priceCents,
      rating: d.rating,
      inStock: d.inStock,
      vendor: null,
    });
  });

  await step("typos are tolerated like fuzziness AUTO", async (index) => {
    const category = uniqueCategory();
    const lenovo = doc({ category, name: "Lenovo ThinkPad X1 Carbon", brand: "Lenovo" });
    const dell = doc({ category, name: "Dell XPS 13", brand: "Dell" });
    await index.put(lenovo);
    await index.put(dell);
    const find = (q: string) => index.search(query({ q, category }));
    await eventually(() => find("xps"), (r) => assert.deepEqual(skus(r), [dell.sku]));
    for (const q of ["thinkpadd", "lenvo", "thnikpad", "LENVO THINKPADD", "carbn"]) {
      assert.deepEqual(skus(await find(q)), [lenovo.sku], `query ${q}`);
    }
    assert.deepEqual(skus(await find("dll")), [dell.sku], "3-5 letters: one edit");
    assert.deepEqual(skus(await find("xbs")), [dell.sku], "3-5 letters: one edit");
    assert.deepEqual(skus(await find("lxnvo")), [], "3-5 letters: not two edits");
    assert.deepEqual(skus(await find("thinkpxdd")), [lenovo.sku], "6+ letters: two edits");
    assert.deepEqual(skus(await find("thxnkpxdd")), [], "6+ letters: not three edits");
    assert.deepEqual(skus(await find("x2")), [], "1-2 letters: exact only");
    assert.deepEqual(skus(await find("x1")), [lenovo.sku]);
  });

  await step(
    "typos widen a search only when the words as typed find nothing; the first letter holds",
    async (index) => {
      const category = uniqueCategory();
      const carbon = doc({ category, name: "Dell Carbon Stand" });
      const carton = doc({ category, name: "Dell Carton Box" });
      await index.put(carbon);
      await index.put(carton);
      const find = (q: string) => index.search(query({ q, category }));
      await eventually(() => find("stand"), (r) => assert.deepEqual(skus(r), [carbon.sku]));
      // "carton" is one edit from "carbon": fuzzy matching would add it, exact finds carbon.
      assert.deepEqual(skus(await find("carbon")), [carbon.sku]);
      assert.deepEqual((await find("carbon")).suggestions, []);
      assert.deepEqual(skus(await find("carbin")).sort(), [carbon.sku, carton.sku].sort());
      assert.deepEqual(skus(await find("rarbon")), [], "a typo in the first letter");
      assert.deepEqual(skus(await find("dell carbin")).length, 2, "one typo among known words");
    },
  );

  await step(
    "every query term must match; name matches outrank description matches",
    async (index) => {
      const category = uniqueCategory();
      const word = uniqueWord();
      const inName = doc({ category, name: `Lenovo ${word} Laptop`, description: "A laptop." });
      const inDescription = doc({
        category,
        name: "Lenovo Tablet",
        description: `Pairs well with the ${word} dock.`,
      });
      await index.put(inDescription);
      await index.put(inName);
      const find = (q: string) => index.search(query({ q, category }));
      await eventually(
        () => find(word),
        (r) => assert.deepEqual(skus(r), [inName.sku, inDescription.sku]),
      );
      assert.deepEqual(skus(await find(`lenovo ${word}`)), [inName.sku, inDescription.sku]);
      assert.deepEqual(skus(await find(`laptop ${word}`)), [inName.sku]);
      assert.deepEqual(skus(await find(`tablet laptop`)), []);
      const all = await find("");
      assert.equal(all.total, 2, "an empty query matches everything the filters let through");
    },
  );

  await step("filters: category, brand, inclusive price bounds, in stock", async (index) => {
    const category = uniqueCategory();
    const other = uniqueCategory();
    const a = doc({ category, brand: "Acme", priceCents: 1_000, inStock: true });
    const b = doc({ category, brand: "Acme", priceCents: 2_000, inStock: false });
    const c = doc({ category, brand: "Bolt", priceCents: 3_000, inStock: true });
    const d = doc({ category: other, brand: "Acme", priceCents: 2_000, inStock: true });
    for (const x of [a, b, c, d]) await index.put(x);
    const find = (q: Partial<SearchQuery>) => index.search(query({ ...q, sort: "price_asc" }));
    await eventually(
      () => find({ category }),
      (r) => assert.deepEqual(skus(r), [a.sku, b.sku, c.sku]),
    );
    assert.deepEqual(skus(await find({ category, brand: "Acme" })), [a.sku, b.sku]);
    assert.deepEqual(skus(await find({ category, brand: "acme" })), [], "brand is exact");
    assert.deepEqual(
      skus(await find({ category, minPriceCents: 2_000, maxPriceCents: 3_000 })),
      [b.sku, c.sku],
    );
    assert.deepEqual(skus(await find({ category, maxPriceCents: 1_999 })), [a.sku]);
    assert.deepEqual(skus(await find({ category, minPriceCents: 3_001 })), []);
    // Bounds past the index's 32-bit prices (a client may send any safe integer).
    const beyond = 7_353_252_019_975_233;
    assert.deepEqual(skus(await find({ category, maxPriceCents: beyond })), [a.sku, b.sku, c.sku]);
    assert.deepEqual(skus(await find({ category, minPriceCents: beyond })), []);
    assert.deepEqual(skus(await find({ category, inStock: true })), [a.sku, c.sku]);
    const rated = uniqueCategory();
    const high = doc({ category: rated, rating: 4.5 });
    const low = doc({ category: rated, rating: 3.99 });
    for (const x of [high, low]) await index.put(x);
    await eventually(
      () => find({ category: rated, minRating: 4 }),
      (r) => assert.deepEqual(skus(r), [high.sku]),
    );
    assert.equal((await find({ category: rated, minRating: 3.99 })).total, 2);
    assert.deepEqual(skus(await find({ category, inStock: false })), [b.sku]);
    assert.deepEqual(skus(await find({ category: other })), [d.sku]);
  });

  await step("sorts: price both ways, rating, newest; ties by SKU", async (index) => {
    const category = uniqueCategory();
    const base = uid();
    const at = (day: number) => new Date(Date.UTC(2025, 0, day));
    const p1 = doc({
      sku: `${base}-1`,
      category,
      priceCents: 500,
      rating: 4,
      ratingCount: 10,
      publishedAt: at(3),
    });
    const p2 = doc({
      sku: `${base}-2`,
      category,
      priceCents: 300,
      rating: 4,
      ratingCount: 10,
      publishedAt: at(1),
    });
    const p3 = doc({
      sku: `${base}-3`,
      category,
      priceCents: 300,
      rating: 4.5,
      ratingCount: 2,
      publishedAt: null,
    });
    const p4 = doc({
      sku: `${base}-4`,
      category,
      priceCents: 900,
      rating: 4,
      ratingCount: 50,
      publishedAt: at(2),
    });
    for (const x of [p4, p3, p2, p1]) await index.put(x);
    const sorted = (sort: SearchQuery["sort"]) => index.search(query({ category, sort }));
    await eventually(
      () => sorted("price_asc"),
      (r) => assert.deepEqual(skus(r), [p2.sku, p3.sku, p1.sku, p4.sku]),
    );
    assert.deepEqual(skus(await sorted("price_desc")), [p4.sku, p1.sku, p2.sku, p3.sku]);
    assert.deepEqual(skus(await sorted("rating")), [p3.sku, p4.sku, p1.sku, p2.sku]);
    assert.deepEqual(skus(await sorted("newest")), [p1.sku, p4.sku, p2.sku, p3.sku]);
    assert.deepEqual(skus(await sorted("relevance")), [p1.sku, p2.sku, p3.sku, p4.sku]);
  });

  await step("pagination: pages partition the hits, total counts them all", async (index) => {
    const category = uniqueCategory();
    const base = uid();
    const docs = [1, 2, 3, 4, 5].map((i) => doc({ sku: `${base}-${i}`, category }));
    for (const x of docs) await index.put(x);
    const page = (p: number, size: number) =>
      index.search(query({ category, sort: "price_asc", page: p, size }));
    await eventually(() => page(1, 2), (r) => {
      assert.equal(r.total, 5);
      assert.deepEqual(skus(r), [docs[0].sku, docs[1].sku]);
    });
    const second = await page(2, 2);
    assert.deepEqual([second.page, second.size, second.total], [2, 2, 5]);
    assert.deepEqual(skus(second), [docs[2].sku, docs[3].sku]);
    assert.deepEqual(skus(await page(3, 2)), [docs[4].sku]);
    const beyond = await page(4, 2);
    assert.deepEqual([skus(beyond), beyond.total], [[], 5]);
  });

  await step(
    "category: the whole subtree matches; the facet counts the selected one's children",
    async (index) => {
      const root = uniqueCategory();
      const word = uniqueWord();
      const placed = (slugs: string[]) =>
        doc({
          name: `${word} ${slugs.join(" ")}`,
          category: slugs[slugs.length - 1],
          categories: slugs,
          categoryPaths: slugs.map((_, i) => slugs.slice(0, i + 1).join("/")),
        });
      const onRoot = placed([root]);
      const inA = placed([root, "a"]);
      const inX = placed([root, "a", "x"]);
      const inB = placed([root, "b"]);
      for (const d of [onRoot, inA, inX, inB]) await index.put(d);
      const find = (category?: string) => index.search(query({ q: word, category }));
      const all = await eventually(() => find(root), (r) => assert.equal(r.total, 4));
      assert.deepEqual(skus(all).sort(), [onRoot.sku, inA.sku, inX.sku, inB.sku].sort());
      assert.deepEqual(all.facets.category, [{ value: "a", count: 2 }, { value: "b", count: 1 }]);
      const a = await find("a");
      assert.deepEqual(skus(a).sort(), [inA.sku, inX.sku].sort());
      assert.deepEqual(a.facets.category, [{ value: "x", count: 1 }]);
      const x = await find("x");
      assert.deepEqual([skus(x), x.facets.category], [[inX.sku], []]);
      const roots = await find(undefined);
      assert.deepEqual(roots.facets.category, [{ value: root, count: 4 }]);
    },
  );
}
