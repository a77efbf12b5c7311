import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

Deno.test("GET /search finds products with highlights, facets and filters", async (t) => {
  const h = await harness();

  await t.step("full text with the documented shape", async () => {
    const res = await h.call("GET", "/search?q=laptop&size=5");
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      "facets",
      "items",
      "page",
      "size",
      "suggestions",
      "total",
    ]);
    assert.ok(res.body.total > 0);
    const hit = res.body.items[0];
    assert.deepEqual(Object.keys(hit).sort(), [
      "brand",
      "category",
      "highlight",
      "inStock",
      "name",
      "priceCents",
      "rating",
      "sku",
      "slug",
      "vendor",
    ]);
    assert.ok(JSON.stringify(hit.highlight).includes("<em>"));
    assert.deepEqual(Object.keys(res.body.facets).sort(), [
      "attrs",
      "brand",
      "category",
      "price",
      "vendor",
    ]);
    assert.deepEqual(
      res.body.facets.price.map((b: { key: string }) => b.key),
      ["under_50", "50_200", "200_500", "over_500"],
    );
  });

  await t.step("an empty q searches by filters only; prices are cents", async () => {
    const res = await h.call(
      "GET",
      "/search?category=laptops&minPrice=100000&maxPrice=200000&inStock=true&sort=price_asc&size=100",
    );
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length > 0);
    const prices = res.body.items.map((i: { priceCents: number }) => i.priceCents);
    for (const hit of res.body.items) {
      assert.equal(hit.category, "laptops");
      assert.ok(hit.priceCents >= 100_000 && hit.priceCents <= 200_000);
      assert.equal(hit.inStock, true);
    }
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
  });

  await t.step("did you mean", async () => {
    const res = await h.call("GET", "/search?q=lapptop");
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body.suggestions));
  });

  await t.step("400 for bad filters, naming them", async () => {
    const res = await h.call(
      "GET",
      "/search?minPrice=-1&maxPrice=x&inStock=yes&sort=best&size=101",
    );
    assert.deepEqual(invalidFields(res).sort(), [
      "inStock",
      "maxPrice",
      "minPrice",
      "size",
      "sort",
    ]);
    const crossed = await h.call("GET", "/search?minPrice=500&maxPrice=100");
    assert.deepEqual(invalidFields(crossed), ["minPrice"]);
  });

  await t.step("503 while the search index is down", async () => {
    h.memory.outages.elasticsearch.down = true;
    const res = await h.call("GET", "/search?q=laptop");
    assertProblem(res, 503, "dependency_unavailable");
    assert.equal(res.body.dependency, "elasticsearch");
    assert.equal(res.headers.get("retry-after"), "5");
    assertProblem(
      await h.call("GET", "/search/autocomplete?q=len"),
      503,
      "dependency_unavailable",
    );
    h.memory.outages.elasticsearch.down = false;
  });
});

Deno.test("GET /search/autocomplete suggests products for a prefix", async () => {
  const h = await harness();
  const res = await h.call("GET", "/search/autocomplete?q=leno&limit=3");
  assert.equal(res.status, 200);
  assert.ok(res.body.suggestions.length > 0 && res.body.suggestions.length <= 3);
  assert.deepEqual(Object.keys(res.body.suggestions[0]).sort(), ["name", "sku", "slug"]);
  assert.deepEqual((await h.call("GET", "/search/autocomplete?q=")).body, { suggestions: [] });
  assert.deepEqual(invalidFields(await h.call("GET", "/search/autocomplete?limit=0")), ["limit"]);
});
