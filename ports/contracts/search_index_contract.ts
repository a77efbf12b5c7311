import assert from "node:assert/strict";
import type { SearchDocument, SearchQuery, SearchResult } from "../../domain/search/search.ts";
import { PRICE_BUCKETS } from "../../domain/search/search.ts";
import type { SearchIndex } from "../search/search_index.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `SearchIndex` keeps. The fixture exposes nothing but the subject, so
 * the suite tolerates near-real-time indices: wherever a write must become visible it polls
 * (up to `VISIBLE_WITHIN_MS`) before failing, and before asserting that a write was ignored
 * it writes a marker document and waits for that (a refresh makes every earlier write
 * visible; with several shards, the adapter's own refresh policy must keep that promise).
 *
 * Every step uses its own SKUs, words and category, so it may share a live index with
 * anything else. Semantics pinned here:
 * - every query term must match some field (AND), each with `fuzziness: AUTO` typo tolerance
 *   (first letter kept) when the words as typed find nothing;
 *   the name weighs more than the description;
 * - filters: the category's subtree (`categories`), exact brand, inclusive price bounds,
 *   exact `inStock`; the category facet counts children of the selected category (roots
 *   when none is selected) from `categoryPaths`;
 * - facets count the hits of the query with all its filters; price facets list all four
 *   buckets in `PRICE_BUCKETS` order, zero counts included; term facets sort by count
 *   descending, then value;
 * - sorts break ties by SKU; `rating` is rating, then rating count, descending;
 * - highlights: `name` and `description` fragments with matched words in `<em></em>`, only
 *   for fields that matched; no highlight without a query;
 * - suggestions: the whole query with each unknown term replaced by the nearest indexed
 *   word, lower case, space separated; none when every term is known;
 * - autocomplete: names with a word starting with the prefix, case-insensitive; names that
 *   start with it first, then by rating;
 * - publication: with `publishedBy`, search (hits, facets, totals) and autocomplete leave out
 *   documents whose `publishedAt` is null or later; autocomplete still fills its limit;
 * - writes are versioned, deletes leave tombstones, `rebuild` serves the old index until it
 *   swaps and keeps the writes that arrive meanwhile.
 */
export function searchIndexContract(
  label: string,
  make: MakeFixture<SearchIndex>,
  options: ContractOptions = {},
): void {
  defineContract("SearchIndex", label, make, options, async (step) => {
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

    await step(
      "publishedBy leaves drafts and scheduled documents out of hits, facets and totals",
      async (index) => {
        const category = uniqueCategory();
        const word = uniqueWord();
        const now = new Date("2026-06-01T12:00:00.000Z");
        const live = doc({ category, name: `${word} live`, brand: "Acme", publishedAt: now });
        const draft = doc({
          category,
          name: `${word} draft`,
          brand: "Bolt",
          priceCents: 60_000,
          publishedAt: null,
        });
        const soon = doc({
          category,
          name: `${word} soon`,
          brand: "Cog",
          priceCents: 30_000,
          publishedAt: new Date(now.getTime() + 1),
        });
        for (const x of [live, draft, soon]) await index.put(x);
        await eventually(
          () => index.search(query({ q: word, category })),
          (r) => assert.equal(r.total, 3, "no publishedBy: every document"),
        );
        // Without a category filter (the word is unique), so the facet counts the roots.
        const at = (publishedBy: Date) => index.search(query({ q: word, publishedBy }));
        const visible = await at(now);
        assert.deepEqual(skus(visible), [live.sku]);
        assert.equal(visible.total, 1);
        assert.deepEqual(visible.facets.category, [{ value: category, count: 1 }]);
        assert.deepEqual(visible.facets.brand, [{ value: "Acme", count: 1 }]);
        assert.deepEqual(visible.facets.price.map((b) => b.count), [1, 0, 0, 0]);
        const filtersOnly = await index.search(query({ category, publishedBy: now }));
        assert.deepEqual(skus(filtersOnly), [live.sku]);
        // One millisecond later the scheduled document is found, with no write.
        const later = await at(new Date(now.getTime() + 1));
        assert.deepEqual(skus(later).sort(), [live.sku, soon.sku].sort());
        assert.deepEqual(later.facets.brand.map((f) => f.value), ["Acme", "Cog"]);
      },
    );

    await step(
      "autocomplete with publishedBy skips unpublished names, still up to the limit",
      async (index) => {
        const category = uniqueCategory();
        const word = uniqueWord();
        const now = new Date("2026-06-01T12:00:00.000Z");
        // Many better-rated unpublished names rank above the published ones: an adapter
        // that filtered only the first options it fetched would return too few.
        const hidden = Array.from({ length: 30 }, (_, i) =>
          doc({
            category,
            name: `${cap(word)} Hidden ${i}`,
            rating: 5,
            publishedAt: i % 2 === 0 ? null : new Date(now.getTime() + 60_000),
          }));
        const shown = [1, 2, 3].map((i) =>
          doc({ category, name: `${cap(word)} Shown ${i}`, rating: i, publishedAt: now })
        );
        for (const x of [...hidden, ...shown]) await index.put(x);
        const prefix = word.slice(0, 6);
        await eventually(
          () => index.autocomplete(prefix, 50),
          (found) => assert.equal(found.length, 33, "no publishedBy: every name"),
        );
        const suggest = (limit: number, at = now) => index.autocomplete(prefix, limit, at);
        const best = [shown[2], shown[1], shown[0]].map(({ sku, name, slug }) => ({
          sku,
          name,
          slug,
        }));
        assert.deepEqual(await suggest(2), best.slice(0, 2));
        assert.deepEqual(await suggest(10), best);
        const scheduled = await suggest(100, new Date(now.getTime() + 60_000));
        assert.equal(scheduled.length, 18, "scheduled names join at their time");
      },
    );

    await step("an older version is ignored and a replay is harmless", async (index) => {
      const category = uniqueCategory();
      const sku = `${uid()}-v`;
      const find = () => index.search(query({ category }));
      await index.put(doc({ sku, category, name: "Second", version: 2 }));
      await eventually(find, (r) => assert.deepEqual(names(r), ["Second"]));
      await index.put(doc({ sku, category, name: "First", version: 1 }));
      await index.put(doc({ sku, category, name: "Second again", version: 2 }));
      await settle(index);
      assert.deepEqual(names(await find()), ["Second"]);
      await index.put(doc({ sku, category, name: "Third", version: 3 }));
      await eventually(find, (r) => assert.deepEqual(names(r), ["Third"]));
    });

    await step("remove is versioned and leaves a tombstone", async (index) => {
      const category = uniqueCategory();
      const sku = `${uid()}-r`;
      const find = () => index.search(query({ category }));
      await index.put(doc({ sku, category, name: "Five", version: 5 }));
      await eventually(find, (r) => assert.deepEqual(names(r), ["Five"]));
      await index.remove(sku, 4);
      await settle(index);
      assert.deepEqual(names(await find()), ["Five"], "an older remove is ignored");
      await index.remove(sku, 6);
      await eventually(find, (r) => assert.equal(r.total, 0));
      await index.put(doc({ sku, category, name: "Old", version: 5 }));
      await index.put(doc({ sku, category, name: "Same", version: 6 }));
      await index.remove(sku, 6);
      await settle(index);
      assert.equal((await find()).total, 0, "puts not newer than the remove are ignored");
      await index.put(doc({ sku, category, name: "Seven", version: 7 }));
      await eventually(find, (r) => assert.deepEqual(names(r), ["Seven"]));
      const never = `${uid()}-n`;
      await index.remove(never, 3);
      await index.put(doc({ sku: never, category, name: "Stale", version: 2 }));
      await settle(index);
      assert.deepEqual(names(await find()), ["Seven"], "removing an unknown SKU is recorded");
    });

    await step(
      "rebuild serves the old index meanwhile, swaps, and keeps writes",
      async (index) => {
        const category = uniqueCategory();
        const base = uid();
        const orphan = doc({ sku: `${base}-orphan`, category, name: "Orphan", version: 1 });
        const kept = doc({ sku: `${base}-kept`, category, name: "Kept", version: 1 });
        await index.put(orphan);
        await index.put(kept);
        const find = () => index.search(query({ category }));
        await eventually(find, (r) => assert.deepEqual(names(r), ["Kept", "Orphan"]));

        const first = doc({ sku: `${base}-first`, category, name: "First", version: 1 });
        const doomed = doc({ sku: `${base}-doomed`, category, name: "Doomed", version: 1 });
        const last = doc({ sku: `${base}-last`, category, name: "Last", version: 1 });
        const paused = Promise.withResolvers<void>();
        const resume = Promise.withResolvers<void>();
        async function* source(): AsyncGenerator<SearchDocument> {
          yield { ...kept, name: "Kept", version: 2 };
          yield first;
          yield doomed;
          paused.resolve();
          await resume.promise;
          yield last;
        }
        const progress: number[] = [];
        const rebuilding = index.rebuild(source(), (n) => progress.push(n));
        await paused.promise;
        assert.deepEqual(names(await find()), ["Kept", "Orphan"], "old index keeps serving");
        const late = doc({ sku: `${base}-late`, category, name: "Late", version: 1 });
        await index.put(late);
        await index.remove(doomed.sku, 2);
        await index.put({ ...kept, name: "Kept v3", version: 3 });
        resume.resolve();
        assert.deepEqual(await rebuilding, { indexed: 4 });
        assert.equal(progress.at(-1), 4, "the last progress report is the total");
        await eventually(
          find,
          (r) => assert.deepEqual(names(r), ["First", "Kept v3", "Last", "Late"]),
        );
      },
    );
  });
}

/** Retries `check` on what `probe` returns until it passes or the time is up. */
async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => void,
  timeoutMs = VISIBLE_WITHIN_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const VISIBLE_WITHIN_MS = 3_000;

/** Writes a marker document and waits until it is searchable: earlier writes are then too. */
async function settle(index: SearchIndex): Promise<void> {
  const marker = doc({ category: uniqueCategory() });
  await index.put(marker);
  await eventually(
    () => index.search(query({ category: marker.category })),
    (r) => assert.equal(r.total, 1),
  );
  await index.remove(marker.sku, marker.version + 1);
}

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

/** Ten random lower-case letters: a word no other test indexes. */
function uniqueWord(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return "q" + [...bytes.slice(1)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
}

function uniqueCategory(): string {
  return `contract-${uid()}`;
}

function cap(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function doc(overrides: Partial<SearchDocument> = {}): SearchDocument {
  const sku = overrides.sku ?? `SKU-${uid()}`;
  const name = overrides.name ?? `Item ${sku}`;
  return {
    sku,
    name,
    slug: `slug-${sku.toLowerCase()}`,
    description: "",
    category: "contract",
    brand: "Acme",
    tags: [],
    attrs: {},
    facetAttrs: {},
    facetNames: [],
    priceCents: 1_000,
    currency: "USD",
    rating: 0,
    ratingCount: 0,
    inStock: true,
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

function query(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return { q: "", sort: "relevance", page: 1, size: 50, ...overrides };
}

function skus(result: SearchResult): string[] {
  return result.items.map((hit) => hit.sku);
}

function names(result: SearchResult): string[] {
  return result.items.map((hit) => hit.name).sort();
}
