import assert from "node:assert/strict";
import type { ProductQuery } from "../../domain/catalog/product.ts";
import { toProductView } from "../../domain/catalog/product_view.ts";
import { NotFound } from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { getProduct, listProducts, PRODUCT_CACHE_TTL_MS, selectedVariant } from "./products.ts";

/** The catalog port with `get` and `getBySlug` counted. */
function countingCatalog(inner: Catalog) {
  const calls = { get: 0, getBySlug: 0, list: 0 };
  const catalog: Catalog = {
    get: (sku) => (calls.get++, inner.get(sku)),
    getBySlug: (slug) => (calls.getBySlug++, inner.getBySlug(slug)),
    getByVariantSku: (sku) => inner.getByVariantSku(sku),
    getMany: (skus) => inner.getMany(skus),
    list: (query) => (calls.list++, inner.list(query)),
    create: (product) => inner.create(product),
    replace: (product) => inner.replace(product),
    delete: (sku) => inner.delete(sku),
    all: () => inner.all(),
  };
  return { catalog, calls };
}

function readDeps(core: TestCore, catalog: Catalog = core.ports.catalog) {
  return { ...core.ports, catalog };
}

const query = (q: Partial<ProductQuery> = {}): ProductQuery => ({
  attrs: [],
  sort: "price_asc",
  page: 1,
  size: 100,
  ...q,
});

Deno.test("getProduct() reads the cache first, then the catalog", async (t) => {
  await t.step("by SKU and by slug, with inventory price and availability", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "LAP-005-32-1024", qty: 1 }] });
    const bySku = await core.useCases.getProduct("LAP-005");
    assert.equal(bySku.name, "Lenovo ThinkPad P16s Gen 2");
    assert.equal(bySku.priceCents, 159900);
    assert.deepEqual(bySku.availability, { available: 3, inStock: true }, "summed over variants");
    assert.ok(!("version" in bySku));
    const bySlug = await core.useCases.getProduct("lenovo-thinkpad-p16s-gen-2");
    assert.deepEqual(bySlug, bySku);
  });

  await t.step("a sold-out product is not in stock", async () => {
    const core = await testCore();
    assert.deepEqual((await core.useCases.getProduct("HDP-001")).availability, {
      available: 0,
      inStock: false,
    });
  });

  await t.step("an unknown key is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(core.useCases.getProduct("no-such-thing"), (error) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.resource, "product");
      assert.equal(error.id, "no-such-thing");
      return true;
    });
  });

  await t.step("a second read is served from the cache until the TTL passes", async () => {
    const core = await testCore();
    const { catalog, calls } = countingCatalog(core.ports.catalog);
    const deps = readDeps(core, catalog);
    const first = await getProduct(deps, "BOK-010");
    assert.equal(calls.get, 1);
    // Remove it behind the cache's back: only the cache can still answer.
    await core.ports.catalog.delete("BOK-010");
    assert.deepEqual(await getProduct(deps, "BOK-010"), first);
    assert.deepEqual(await getProduct(deps, "dune"), first, "the slug reaches the cached view");
    assert.equal(calls.get, 1);
    assert.equal(calls.getBySlug, 0);

    core.clock.advance(PRODUCT_CACHE_TTL_MS);
    await assert.rejects(getProduct(deps, "BOK-010"), NotFound);
    assert.equal(calls.get, 2);
  });

  await t.step("concurrent misses for one key load the catalog once", async () => {
    const core = await testCore();
    const { catalog, calls } = countingCatalog(core.ports.catalog);
    const deps = readDeps(core, catalog);
    const views = await Promise.all(Array.from({ length: 25 }, () => getProduct(deps, "BOK-010")));
    assert.equal(calls.get, 1);
    assert.ok(views.every((v) => v.sku === "BOK-010" && v.name === "Dune"));
  });

  await t.step("concurrent misses in two separate cores each read their own catalog", async () => {
    const a = await testCore();
    const b = await testCore();
    await b.ports.catalog.replace({
      ...(await b.ports.catalog.get("BOK-010"))!,
      name: "Dune (core B)",
    });
    const [fromA, fromB] = await Promise.all([
      a.useCases.getProduct("BOK-010"),
      b.useCases.getProduct("BOK-010"),
    ]);
    assert.equal(fromA.name, "Dune");
    assert.equal(fromB.name, "Dune (core B)");
  });

  await t.step("a missing product is not cached: it can appear later", async () => {
    const core = await testCore();
    await assert.rejects(core.useCases.getProduct("KBD-001"), NotFound);
    await core.useCases.createProduct({
      sku: "KBD-001",
      name: "Keychron Q1",
      category: "keyboards",
      brand: "Keychron",
      description: "",
      images: [],
      attrs: {},
      variants: [],
      tags: [],
      priceCents: 100,
      stock: 1,
    });
    assert.equal((await core.useCases.getProduct("KBD-001")).name, "Keychron Q1");
  });

  await t.step("with the cache down the catalog still serves every read", async () => {
    const core = await testCore();
    const { catalog, calls } = countingCatalog(core.ports.catalog);
    const deps = readDeps(core, catalog);
    core.outages.redis.down = true;
    assert.equal((await getProduct(deps, "BOK-010")).name, "Dune");
    assert.equal((await getProduct(deps, "dune")).sku, "BOK-010");
    assert.equal(calls.get, 2, "nothing could be cached");
  });

  await t.step("a cached view reached through a stale slug is not trusted", async () => {
    const core = await testCore();
    const product = (await core.ports.catalog.get("BOK-010"))!;
    const item = await core.ports.inventory.get("BOK-010");
    // The slug pointer "dune" lingers while the SKU's cached view now has another slug.
    await core.ports.cache.set(toProductView(product, item), PRODUCT_CACHE_TTL_MS);
    await core.ports.catalog.replace({ ...product, slug: "dune-novel" });
    await core.ports.cache.set(
      toProductView({ ...product, slug: "dune-novel" }, item),
      PRODUCT_CACHE_TTL_MS,
    );
    await assert.rejects(core.useCases.getProduct("dune"), NotFound);
    assert.equal((await core.useCases.getProduct("dune-novel")).sku, "BOK-010");
  });

  await t.step("catalog writes through the use cases invalidate the cached view", async () => {
    const core = await testCore();
    await core.useCases.getProduct("BOK-010");
    await core.useCases.updateProduct("BOK-010", { name: "Dune (Hardcover)" });
    assert.equal((await core.useCases.getProduct("BOK-010")).name, "Dune (Hardcover)");
  });
});

Deno.test("listProducts() filters, sorts and pages the catalog", async (t) => {
  await t.step("by category, brand and tag", async () => {
    const core = await testCore();
    const laptops = await core.useCases.listProducts(query({ category: "laptops" }));
    assert.equal(laptops.total, 12);
    assert.ok(laptops.items.every((p) => p.category === "laptops"));
    const lenovo = await core.useCases.listProducts(
      query({ category: "laptops", brand: "Lenovo" }),
    );
    assert.deepEqual(lenovo.items.map((p) => p.sku).sort(), [
      "LAP-001",
      "LAP-002",
      "LAP-003",
      "LAP-004",
      "LAP-005",
    ]);
    const sciFi = await core.useCases.listProducts(query({ tag: "science-fiction" }));
    assert.deepEqual(sciFi.items.map((p) => p.sku), ["BOK-010", "BOK-008"]);
  });

  await t.step("by minimum rating", async () => {
    const core = await testCore();
    const top = await core.useCases.listProducts(query({ minRating: 4.8 }));
    assert.ok(top.total > 0);
    assert.ok(top.items.every((p) => p.ratings.avg >= 4.8));
    const all = await core.useCases.listProducts(query({ size: 100 }));
    assert.equal(top.total, all.items.filter((p) => p.ratings.avg >= 4.8).length);
  });

  await t.step("by attribute filters: numbers, strings and booleans", async () => {
    const core = await testCore();
    const bigRam = await core.useCases.listProducts(query({
      category: "laptops",
      attrs: [{ name: "ram_gb", op: "gte", value: 32 }],
    }));
    // A laptop matches when its own attributes or any variant's do (32 GB options count).
    assert.deepEqual(bigRam.items.map((p) => p.sku).sort(), [
      "LAP-001",
      "LAP-002",
      "LAP-003",
      "LAP-005",
      "LAP-006",
      "LAP-009",
      "LAP-010",
      "LAP-012",
    ]);
    const small = await core.useCases.listProducts(query({
      attrs: [{ name: "screen_in", op: "lt", value: 13.5 }, {
        name: "ram_gb",
        op: "eq",
        value: 16,
      }],
    }));
    assert.deepEqual(small.items.map((p) => p.sku).sort(), ["LAP-006", "LAP-011"]);
    const wired = await core.useCases.listProducts(query({
      attrs: [{ name: "wireless", op: "eq", value: false }],
    }));
    assert.deepEqual(wired.items.map((p) => p.sku).sort(), [
      "HDP-008",
      "HDP-009",
      "HDP-012",
      "HDP-013",
    ]);
    const apple = await core.useCases.listProducts(query({
      attrs: [{ name: "cpu", op: "eq", value: "Apple M3" }],
    }));
    assert.deepEqual(apple.items.map((p) => p.sku), ["LAP-008"]);
    const none = await core.useCases.listProducts(query({
      attrs: [{ name: "no_such_attr", op: "gt", value: 0 }],
    }));
    assert.equal(none.total, 0);
  });

  await t.step("sorts by price both ways, rating and newest", async () => {
    const core = await testCore();
    const asc = (await core.useCases.listProducts(query({ sort: "price_asc" }))).items;
    assert.equal(asc.length, 74);
    assert.ok(asc.every((p, i) => i === 0 || asc[i - 1].priceCents <= p.priceCents));
    assert.equal(asc[0].sku, "BOK-010");
    const desc = (await core.useCases.listProducts(query({ sort: "price_desc" }))).items;
    assert.ok(desc.every((p, i) => i === 0 || desc[i - 1].priceCents >= p.priceCents));
    assert.equal(desc[0].sku, "LAP-009");
    const rated = (await core.useCases.listProducts(query({ sort: "rating" }))).items;
    assert.ok(rated.every((p, i) => i === 0 || rated[i - 1].ratings.avg >= p.ratings.avg));
    const newest = (await core.useCases.listProducts(query({ sort: "newest" }))).items;
    assert.equal(newest[0].sku, "LAP-001");
    assert.ok(
      newest.every((p, i) =>
        i === 0 || newest[i - 1].publishedAt!.getTime() >= p.publishedAt!.getTime()
      ),
    );
  });

  await t.step("pages are stable and carry the total", async () => {
    const core = await testCore();
    const all = (await core.useCases.listProducts(query({ sort: "rating" }))).items;
    const page2 = await core.useCases.listProducts(query({ sort: "rating", page: 2, size: 7 }));
    assert.equal(page2.total, 74);
    assert.equal(page2.page, 2);
    assert.equal(page2.size, 7);
    assert.deepEqual(page2.items.map((p) => p.sku), all.slice(7, 14).map((p) => p.sku));
    const past = await core.useCases.listProducts(query({ page: 12, size: 7 }));
    assert.deepEqual(past.items, []);
    assert.equal(past.total, 74);
  });

  await t.step("identical browses in flight share one catalog query; others do not", async () => {
    const core = await testCore();
    const { catalog, calls } = countingCatalog(core.ports.catalog);
    const deps = readDeps(core, catalog);
    const laptops = { ...query({ category: "laptops" }), publication: undefined };
    const pages = await Promise.all([
      listProducts(deps, laptops),
      listProducts(deps, laptops),
      listProducts(deps, { ...laptops, page: 2, size: 1 }),
    ]);
    assert.equal(calls.list, 2);
    assert.deepEqual(pages[0], pages[1]);
    assert.ok(pages[0].total > 1);
    await listProducts(deps, laptops);
    assert.equal(calls.list, 3, "a later browse loads afresh");
  });

  await t.step(
    "with reuseMs, an identical browse answered within it is answered again",
    async () => {
      const core = await testCore();
      const { catalog, calls } = countingCatalog(core.ports.catalog);
      const laptops = { ...query({ category: "laptops" }), publication: undefined };
      const reusing = { ...readDeps(core, catalog), reuseMs: 60_000 };
      const first = await listProducts(reusing, laptops);
      assert.equal(await listProducts(reusing, laptops), first, "the same answer, not a copy");
      assert.equal(calls.list, 1);
      await listProducts(reusing, { ...laptops, size: 1 });
      assert.equal(calls.list, 2, "another page is its own read");
      await listProducts({ ...reusing, reuseMs: 0 }, laptops);
      assert.equal(calls.list, 3, "without reuse a later browse loads afresh");
    },
  );

  await t.step("items carry inventory availability and price", async () => {
    const core = await testCore();
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 1234 });
    await core.useCases.placeOrder({ userId: "u", items: [{ sku: "BOK-010", qty: 7 }] });
    const { items } = await listProducts(core.ports, query({ tag: "classic", category: "books" }));
    assert.deepEqual(items.map((p) => [p.sku, p.priceCents, p.availability]), [
      ["BOK-010", 1234, { available: 150, inStock: true }],
    ]);
  });
});

Deno.test("getProduct() with a variant SKU answers its product and names the variant", async (t) => {
  await t.step(
    "variants carry their own price and availability; a price range spans them",
    async () => {
      const core = await testCore();
      const view = await core.useCases.getProduct("TSH-002-XXL-BLUE");
      assert.equal(view.sku, "TSH-002");
      assert.equal(selectedVariant(view, "TSH-002-XXL-BLUE"), "TSH-002-XXL-BLUE");
      assert.equal(selectedVariant(view, "TSH-002"), null);
      const xxl = view.variants.find((v) => v.sku === "TSH-002-XXL-BLUE");
      assert.deepEqual(xxl, {
        sku: "TSH-002-XXL-BLUE",
        label: "XXL / Blue",
        attrs: { size: "XXL", color: "Blue" },
        priceCents: 4800,
        availability: { available: 49, inStock: true },
      });
      assert.deepEqual(view.priceRange, { minCents: 4500, maxCents: 4800 });
      assert.equal(
        view.availability.available,
        view.variants.reduce((sum, v) => sum + v.availability.available, 0),
      );
      assert.deepEqual(await core.useCases.getProduct("TSH-002"), view, "the same cached view");
    },
  );

  await t.step("a retired variant's SKU still finds the product but is not listed", async () => {
    const core = await testCore();
    const before = await core.useCases.getProduct("TSH-001");
    const keep = before.variants.filter((v) => v.sku !== "TSH-001-S-WHITE");
    await core.useCases.updateProduct("TSH-001", {
      variants: keep.map((v) => ({ sku: v.sku, label: v.label, attrs: v.attrs })),
    });
    const view = await core.useCases.getProduct("TSH-001-S-WHITE");
    assert.equal(view.sku, "TSH-001");
    assert.equal(selectedVariant(view, "TSH-001-S-WHITE"), null);
    assert.ok(!view.variants.some((v) => v.sku === "TSH-001-S-WHITE"));
  });
});
