import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const PRODUCT_KEYS = [
  "attrs",
  "availability",
  "brand",
  "breadcrumbs",
  "category",
  "currency",
  "description",
  "images",
  "name",
  "priceCents",
  "priceRange",
  "publishedAt",
  "ratings",
  "sku",
  "slug",
  "tags",
  "updatedAt",
  "variants",
  "vendor",
];

Deno.test("GET /products lists, filters and sorts the catalog", async (t) => {
  const h = await harness();

  await t.step("a page with the documented shape", async () => {
    const res = await h.call("GET", "/products");
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ["items", "page", "size", "total"]);
    assert.equal(res.body.page, 1);
    assert.equal(res.body.size, 20);
    assert.equal(res.body.items.length, 20);
    assert.ok(res.body.total >= 60);
    const product = res.body.items[0];
    assert.deepEqual(Object.keys(product).sort(), PRODUCT_KEYS);
    assert.ok(Number.isInteger(product.priceCents));
    assert.deepEqual(Object.keys(product.availability).sort(), ["available", "inStock"]);
    assert.ok(!Number.isNaN(Date.parse(product.updatedAt)));
  });

  await t.step("pages through with page and size", async () => {
    const first = await h.call("GET", "/products?size=5&sort=price_asc");
    const second = await h.call("GET", "/products?size=5&page=2&sort=price_asc");
    assert.equal(second.body.page, 2);
    assert.equal(second.body.items.length, 5);
    const skus = new Set(first.body.items.map((p: { sku: string }) => p.sku));
    assert.ok(second.body.items.every((p: { sku: string }) => !skus.has(p.sku)));
    const past = await h.call("GET", `/products?page=1000&size=100`);
    assert.equal(past.status, 200);
    assert.deepEqual(past.body.items, []);
  });

  await t.step("filters by category, brand and minimum rating", async () => {
    const res = await h.call("GET", "/products?category=laptops&minRating=4.5&size=100");
    assert.ok(res.body.items.length > 0);
    for (const p of res.body.items) {
      assert.equal(p.category, "laptops");
      assert.ok(p.ratings.avg >= 4.5);
    }
    const brand = res.body.items[0].brand;
    const byBrand = await h.call("GET", `/products?brand=${encodeURIComponent(brand)}&size=100`);
    assert.ok(byBrand.body.items.every((p: { brand: string }) => p.brand === brand));
  });

  await t.step("filters by attributes: attr.<name>.<op>=value", async () => {
    const res = await h.call(
      "GET",
      "/products?category=laptops&attr.ram_gb.gte=32&attr.ram_gb.lte=64&size=100",
    );
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length > 0);
    // The product's own attributes or one of its variants' (a laptop's memory options).
    type Attrs = { ram_gb?: number };
    const inRange = (a: Attrs) => a.ram_gb !== undefined && a.ram_gb >= 32 && a.ram_gb <= 64;
    for (const p of res.body.items) {
      assert.ok(inRange(p.attrs) || p.variants.some((v: { attrs: Attrs }) => inRange(v.attrs)));
    }
    const none = await h.call("GET", "/products?attr.ram_gb.gt=100000");
    assert.equal(none.body.total, 0);
  });

  await t.step("sorts by price both ways", async () => {
    const asc = await h.call("GET", "/products?sort=price_asc&size=100");
    const prices = asc.body.items.map((p: { priceCents: number }) => p.priceCents);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
    const desc = await h.call("GET", "/products?sort=price_desc&size=100");
    const down = desc.body.items.map((p: { priceCents: number }) => p.priceCents);
    assert.deepEqual(down, [...down].sort((a, b) => b - a));
    for (const sort of ["rating", "newest"]) {
      assert.equal((await h.call("GET", `/products?sort=${sort}`)).status, 200);
    }
  });

  await t.step("400 for page < 1, size > 100, unknown sort", async () => {
    assert.deepEqual(invalidFields(await h.call("GET", "/products?page=0")), ["page"]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products?size=101")), ["size"]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products?size=0")), ["size"]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products?page=abc")), ["page"]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products?sort=cheap")), ["sort"]);
  });

  await t.step("400 for malformed attribute filters, naming them", async () => {
    const bad = [
      "attr.ram-gb.gte=1",
      "attr.ram_gb.like=1",
      "attr.ram_gb=1",
      "attr..eq=1",
      "attr.ram_gb.gte.x=1",
    ];
    for (const query of bad) {
      const res = await h.call("GET", `/products?${query}`);
      assert.deepEqual(invalidFields(res), [query.split("=")[0]], query);
    }
  });

  await t.step("400 for unknown query parameters, naming them", async () => {
    assert.deepEqual(invalidFields(await h.call("GET", "/products?utm_source=mail")), [
      "utm_source",
    ]);
  });
});

Deno.test("GET /products/:skuOrSlug answers one product with availability", async (t) => {
  const h = await harness();
  const listed = (await h.call("GET", "/products?size=1&sort=price_asc")).body.items[0];

  await t.step("by SKU", async () => {
    const res = await h.call("GET", `/products/${listed.sku}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [...PRODUCT_KEYS, "selectedVariant"].sort());
    assert.equal(res.body.sku, listed.sku);
    assert.equal(res.body.selectedVariant, null);
    const stock = await h.inventoryOf(listed.sku);
    assert.deepEqual(res.body.availability, {
      available: stock.available,
      inStock: stock.available > 0,
    });
  });

  await t.step("by slug", async () => {
    const res = await h.call("GET", `/products/${listed.slug}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.sku, listed.sku);
  });

  await t.step("404 for an unknown key", async () => {
    const res = await h.call("GET", "/products/NO-SUCH-SKU");
    assertProblem(res, 404, "not_found");
  });

  await t.step("400 for a key with characters no SKU or slug has", async () => {
    assert.deepEqual(invalidFields(await h.call("GET", "/products/a%20b")), ["skuOrSlug"]);
  });

  await t.step("answers from the catalog while the cache is down", async () => {
    h.memory.outages.redis.down = true;
    const res = await h.call("GET", `/products/${listed.sku}`);
    assert.equal(res.status, 200);
    h.memory.outages.redis.down = false;
  });
});
