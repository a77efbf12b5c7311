/**
 * Facets, highlights, suggestions and autocomplete, part of the `SearchIndex` contract
 * (`searchIndexContract` runs these steps in its one `Deno.test`, in order).
 */
import assert from "node:assert/strict";
import type { SearchQuery } from "../../domain/search/search.ts";
import { PRICE_BUCKETS } from "../../domain/search/search.ts";
import type { Step } from "./_fixture.ts";
import type { SearchIndex } from "../search/search_index.ts";
import {
  cap,
  doc,
  eventually,
  query,
  skus,
  uid,
  uniqueCategory,
  uniqueWord,
} from "./_search_fixture.ts";

/** Facets by category, vendor, attribute and price, then highlights, suggestions and autocomplete. */
export async function facetAndSuggestionSteps(step: Step<SearchIndex>): Promise<void> {
  await step("facets count exactly the hits of the query and its filters", async (index) => {
    const category = uniqueCategory();
    const word = uniqueWord();
    const docs = [
      doc({ category, brand: "Bolt", name: `${word} one`, priceCents: 1_000 }),
      doc({ category, brand: "Acme", name: `${word} two`, priceCents: 10_000 }),
      doc({ category, brand: "Bolt", name: `${word} three`, priceCents: 30_000 }),
      doc({ category, brand: "Cog", name: `${word} four`, priceCents: 60_000 }),
      doc({ category, brand: "Acme", name: `${word} five`, priceCents: 2_000 }),
      doc({ category, brand: "Dyn", name: "unrelated", priceCents: 2_000 }),
    ];
    for (const x of docs) await index.put(x);
    const find = (q: Partial<SearchQuery>) => index.search(query({ category, ...q }));
    const result = await eventually(() => find({ q: word }), (r) => assert.equal(r.total, 5));
    assert.deepEqual(result.facets.category, [], "the category has no children to count");
    assert.deepEqual(result.facets.brand, [
      { value: "Acme", count: 2 },
      { value: "Bolt", count: 2 },
      { value: "Cog", count: 1 },
    ]);
    assert.deepEqual(result.facets.price.map((b) => b.count), [2, 1, 1, 1]);
    for (const { value, count } of result.facets.brand) {
      assert.equal((await find({ q: word, brand: value })).total, count, `brand ${value}`);
    }
    const filtered = await find({ q: word, maxPriceCents: 20_000 });
    assert.equal(filtered.total, 3);
    assert.deepEqual(filtered.facets.brand, [
      { value: "Acme", count: 2 },
      { value: "Bolt", count: 1 },
    ]);
    assert.deepEqual(filtered.facets.price.map((b) => b.count), [2, 1, 0, 0]);
    const none = await find({ q: `${word} ${uniqueWord()}` });
    assert.equal(none.total, 0);
    assert.deepEqual([none.facets.category, none.facets.brand], [[], []]);
    assert.deepEqual(none.facets.price.map((b) => b.count), [0, 0, 0, 0]);
  });

  await step(
    "the vendor filter keeps one vendor's hits; the vendor facet counts them",
    async (index) => {
      const category = uniqueCategory();
      const word = uniqueWord();
      const farm = `farm-${uid()}`;
      const mill = `mill-${uid()}`;
      const a = doc({ category, name: `${word} one`, vendor: farm, vendorName: "Green Farm" });
      const b = doc({ category, name: `${word} two`, vendor: farm, vendorName: "Green Farm" });
      const c = doc({ category, name: `${word} three`, vendor: mill, vendorName: "Old Mill" });
      const d = doc({ category, name: `${word} four` });
      for (const x of [a, b, c, d]) await index.put(x);
      const find = (q: Partial<SearchQuery>) => index.search(query({ category, q: word, ...q }));
      const all = await eventually(() => find({}), (r) => assert.equal(r.total, 4));
      assert.deepEqual(all.facets.vendor, [{ value: farm, count: 2 }, { value: mill, count: 1 }]);
      const hit = all.items.find((h) => h.sku === c.sku);
      assert.deepEqual(hit?.vendor, { slug: mill, name: "Old Mill" });
      assert.equal(all.items.find((h) => h.sku === d.sku)?.vendor, null);
      const farmOnly = await find({ vendor: farm });
      assert.deepEqual(skus(farmOnly).sort(), [a.sku, b.sku].sort());
      assert.deepEqual(farmOnly.facets.vendor, [{ value: farm, count: 2 }]);
      assert.equal((await find({ vendor: `none-${uid()}` })).total, 0);
    },
  );

  await step(
    "attribute filters match any value of a product or its variants; facets count per name",
    async (index) => {
      const category = uniqueCategory();
      const tee = (sizes: string[], colors: string[], material = "cotton") =>
        doc({
          category,
          facetAttrs: { color: colors, material: [material], size: sizes },
          facetNames: ["color", "size"],
        });
      const a = tee(["L", "M"], ["blue"]);
      const b = tee(["L", "S"], ["red"], "linen");
      const c = tee(["XL"], ["blue", "green"]);
      const plain = doc({ category, facetAttrs: { material: ["wool"] } });
      for (const x of [a, b, c, plain]) await index.put(x);
      const find = (q: Partial<SearchQuery>) => index.search(query({ category, ...q }));
      const all = await eventually(() => find({}), (r) => assert.equal(r.total, 4));
      assert.deepEqual(all.facets.attrs, {
        color: [{ value: "blue", count: 2 }, { value: "green", count: 1 }, {
          value: "red",
          count: 1,
        }],
        size: [
          { value: "L", count: 2 },
          { value: "M", count: 1 },
          { value: "S", count: 1 },
          { value: "XL", count: 1 },
        ],
      }, "only facet names are counted (not material)");
      const eq = (name: string, value: string) => ({ name, value });
      const blueL = await find({ attrs: [eq("color", "blue"), eq("size", "L")] });
      assert.deepEqual(skus(blueL), [a.sku]);
      assert.deepEqual(blueL.facets.attrs.size, [
        { value: "L", count: 1 },
        { value: "M", count: 1 },
      ]);
      assert.deepEqual(
        skus(await find({ attrs: [eq("material", "wool")] })),
        [plain.sku],
        "every attribute filters, facet name or not",
      );
      assert.equal((await find({ attrs: [eq("size", "XXS")] })).total, 0);
      const onlySize = await find({ facetAttrs: ["size"] });
      assert.deepEqual(Object.keys(onlySize.facets.attrs), ["size"]);
    },
  );

  await step(
    "each document's facet names decide what it counts: product attributes too, or none",
    async (index) => {
      const category = uniqueCategory();
      // What the sync writes from the category tree: a book's `format` is facetable, its
      // `author` is not; a category without facetable attributes gives no facet names.
      const book = doc({
        category,
        facetAttrs: { author: ["Le Guin"], format: ["paperback"] },
        facetNames: ["format"],
      });
      const plain = doc({ category, facetAttrs: { format: ["ebook"] }, facetNames: [] });
      for (const x of [book, plain]) await index.put(x);
      const all = await eventually(
        () => index.search(query({ category })),
        (r) => assert.equal(r.total, 2),
      );
      assert.deepEqual(all.facets.attrs, { format: [{ value: "paperback", count: 1 }] });
    },
  );

  await step(
    "price buckets split at 5000, 20000 and 50000 cents, from inclusive",
    async (index) => {
      const category = uniqueCategory();
      const prices = [4_999, 5_000, 19_999, 20_000, 49_999, 50_000];
      for (const priceCents of prices) await index.put(doc({ category, priceCents }));
      const find = (q: Partial<SearchQuery>) => index.search(query({ category, ...q }));
      const result = await eventually(() => find({}), (r) => assert.equal(r.total, 6));
      assert.deepEqual(
        result.facets.price,
        PRICE_BUCKETS.map((b, i) => ({ ...b, count: [1, 2, 2, 1][i] })),
      );
      const bounded = await find({ minPriceCents: 5_000, maxPriceCents: 20_000 });
      assert.equal(bounded.total, 3);
      assert.deepEqual(
        bounded.facets.price,
        PRICE_BUCKETS.map((b, i) => ({ ...b, count: [0, 2, 1, 0][i] })),
      );
    },
  );

  await step("highlights wrap matched words of name and description in <em>", async (index) => {
    const category = uniqueCategory();
    const d = doc({
      category,
      name: "Lenovo ThinkPad X1 Carbon",
      description: "The ThinkPad for people who travel light.",
    });
    await index.put(d);
    const find = (q: string) => index.search(query({ q, category }));
    const exact = await eventually(() => find("thinkpad"), (r) => assert.equal(r.total, 1));
    const { highlight } = exact.items[0];
    assert.ok(highlight.name?.some((f) => f.includes("<em>ThinkPad</em>")), "name");
    assert.ok(highlight.description?.some((f) => f.includes("<em>ThinkPad</em>")), "desc");
    const fuzzy = (await find("thinkpadd")).items[0].highlight;
    assert.ok(fuzzy.name?.some((f) => f.includes("<em>ThinkPad</em>")), "fuzzy match");
    const nameOnly = (await find("carbon")).items[0].highlight;
    assert.ok(nameOnly.name?.some((f) => f.includes("<em>Carbon</em>")));
    assert.ok(!nameOnly.name?.some((f) => f.includes("<em>Lenovo</em>")));
    assert.equal(nameOnly.description, undefined, "fields without a match are left out");
    assert.deepEqual((await find("")).items[0].highlight, {}, "no query, no highlight");
  });

  await step("suggestions rewrite unknown terms to the nearest indexed word", async (index) => {
    const category = uniqueCategory();
    const word = uniqueWord();
    const typo = word.slice(0, 4) + word.slice(5); // one letter dropped
    await index.put(doc({ category, name: `Lenovo ${word} Pro` }));
    const find = (q: string) => index.search(query({ q, category }));
    await eventually(() => find(word), (r) => assert.equal(r.total, 1));
    assert.deepEqual((await find(word)).suggestions, [], "known terms: no suggestion");
    assert.deepEqual((await find(`lenovo ${word}`)).suggestions, []);
    const single = await find(typo);
    assert.ok(single.suggestions.includes(word), JSON.stringify(single.suggestions));
    assert.equal(single.total, 1, "the typo still finds the product");
    const phrase = await find(`Lenovo ${typo}`);
    assert.ok(
      phrase.suggestions.includes(`lenovo ${word}`),
      JSON.stringify(phrase.suggestions),
    );
  });

  await step("autocomplete finds word prefixes in names, best first", async (index) => {
    const category = uniqueCategory();
    const word = uniqueWord();
    const leading = doc({ category, name: `${cap(word)} Widget`, rating: 1 });
    const inner = doc({ category, name: `Gadget ${word}`, rating: 5 });
    const compound = doc({ category, name: `Gizmo ${word}pro`, rating: 3 });
    const midWord = doc({ category, name: `Other x${word}`, rating: 5 });
    for (const x of [midWord, compound, inner, leading]) await index.put(x);
    const prefix = word.slice(0, 6);
    const expected = [leading, inner, compound].map(({ sku, name, slug }) => ({
      sku,
      name,
      slug,
    }));
    await eventually(
      () => index.autocomplete(prefix, 10),
      (found) => assert.deepEqual(found, expected),
    );
    assert.deepEqual(await index.autocomplete(prefix.toUpperCase(), 10), expected);
    assert.deepEqual(await index.autocomplete(prefix, 2), expected.slice(0, 2));
    assert.deepEqual(await index.autocomplete(`gadget ${word.slice(0, 3)}`, 10), [
      expected[1],
    ]);
    assert.deepEqual(await index.autocomplete(`${word}x`, 10), []);
  });
}
