import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { SearchDocument, SearchQuery } from "../../domain/search/search.ts";
import { searchIndexContract } from "../../ports/contracts/search_index_contract.ts";
import { Outage } from "./outage.ts";
import { autoFuzziness, editDistance, MemorySearchIndex, tokenize } from "./search_index.ts";

searchIndexContract(
  "MemorySearchIndex",
  () => Promise.resolve({ subject: new MemorySearchIndex(), close: () => Promise.resolve() }),
);

function doc(sku: string, overrides: Partial<SearchDocument> = {}): SearchDocument {
  return {
    sku,
    name: sku,
    slug: sku.toLowerCase(),
    description: "",
    category: "laptops",
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
    publishedAt: null,
    updatedAt: new Date("2025-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

function query(overrides: Partial<SearchQuery>): SearchQuery {
  return { q: "", sort: "relevance", page: 1, size: 20, ...overrides };
}

Deno.test("search text helpers", async (t) => {
  await t.step("tokenize() lower-cases and splits on anything but letters and digits", () => {
    assert.deepEqual(tokenize('Lenovo ThinkPad X1-Carbon (Gen 11), 14"'), [
      "lenovo",
      "thinkpad",
      "x1",
      "carbon",
      "gen",
      "11",
      "14",
    ]);
    assert.deepEqual(tokenize("Café crème"), ["café", "crème"]);
    assert.deepEqual(tokenize(" -- "), []);
  });

  await t.step("autoFuzziness() allows 0, 1, 2 edits by term length", () => {
    assert.deepEqual(["a", "ab", "abc", "abcde", "abcdef"].map(autoFuzziness), [0, 0, 1, 1, 2]);
  });

  await t.step("editDistance() counts edits and adjacent transpositions, capped", () => {
    assert.equal(editDistance("lenvo", "lenovo"), 1);
    assert.equal(editDistance("thnikpad", "thinkpad"), 1);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("abcdef", "uvwxyz", 2), 3);
    assert.equal(editDistance("same", "same", 0), 0);
  });
});

Deno.test("MemorySearchIndex", async (t) => {
  await t.step("brand and tags count, name counts most", async () => {
    const index = new MemorySearchIndex();
    await index.put(doc("A", { name: "Travel Mug", tags: ["steel"] }));
    await index.put(doc("B", { name: "Steel Bottle" }));
    await index.put(doc("C", { name: "Bottle", brand: "Steel" }));
    await index.put(doc("D", { name: "Cup", description: "Made of steel." }));
    const found = await index.search(query({ q: "steel" }));
    assert.deepEqual(found.items.map((h) => h.sku), ["B", "C", "A", "D"]);
  });

  await t.step("long descriptions are cut into fragments around the matches", async () => {
    const index = new MemorySearchIndex();
    const filler = "lorem ipsum dolor sit amet ".repeat(10);
    await index.put(doc("A", { description: `${filler}the carbon frame ${filler}carbon again` }));
    const [hit] = (await index.search(query({ q: "carbon" }))).items;
    const fragments = hit.highlight.description;
    assert.equal(fragments.length, 2);
    for (const fragment of fragments) {
      assert.ok(fragment.includes("<em>carbon</em>"));
      assert.ok(fragment.length < 140, fragment);
      assert.ok(!/^\S*[a-z]<em>|<\/em>[a-z]/.test(fragment), "whole words only");
    }
  });

  await t.step("suggests nothing when an unknown term has no near word", async () => {
    const index = new MemorySearchIndex();
    await index.put(doc("A", { name: "Lenovo ThinkPad" }));
    assert.deepEqual((await index.search(query({ q: "zzzzzz" }))).suggestions, []);
    assert.deepEqual((await index.search(query({ q: "lenovo thinkpadd zzzzzz" }))).suggestions, [
      "lenovo thinkpad zzzzzz",
    ]);
  });

  await t.step("rebuild reports progress every 500 documents and at the end", async () => {
    const index = new MemorySearchIndex();
    async function* docs() {
      for (let i = 0; i < 1_203; i++) yield doc(`SKU-${i}`);
    }
    const progress: number[] = [];
    assert.deepEqual(await index.rebuild(docs(), (n) => progress.push(n)), { indexed: 1_203 });
    assert.deepEqual(progress, [500, 1_000, 1_203]);
    assert.equal((await index.search(query({}))).total, 1_203);
  });

  await t.step("a failed rebuild leaves the old index in place", async () => {
    const index = new MemorySearchIndex();
    await index.put(doc("OLD"));
    async function* broken() {
      yield doc("NEW");
      throw new Error("source failed");
    }
    await assert.rejects(index.rebuild(broken()), /source failed/);
    assert.deepEqual((await index.search(query({}))).items.map((h) => h.sku), ["OLD"]);
    await index.put(doc("LATER"));
    const rebuilt = await index.rebuild((async function* () {})());
    assert.deepEqual(rebuilt, { indexed: 0 });
    assert.equal((await index.search(query({}))).total, 0);
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const outage = new Outage(true);
    const index = new MemorySearchIndex({ outage });
    const isEsDown = (e: unknown) =>
      e instanceof DependencyUnavailable && e.dependency === "elasticsearch";
    await assert.rejects(index.search(query({})), isEsDown);
    await assert.rejects(index.autocomplete("a", 5), isEsDown);
    await assert.rejects(index.put(doc("A")), isEsDown);
    await assert.rejects(index.remove("A", 2), isEsDown);
    await assert.rejects(index.rebuild((async function* () {})()), isEsDown);
    outage.down = false;
    assert.equal((await index.search(query({}))).total, 0);
  });
});
