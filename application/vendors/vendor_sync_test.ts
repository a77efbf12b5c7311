import assert from "node:assert/strict";
import type { Product } from "../../domain/catalog/product.ts";
import type { Vendor } from "../../domain/vendors/vendor.ts";
import { testCore } from "../../testing/core.ts";
import { applyVendorChange, reconcileVendors, refreshVendorCopy } from "./vendor_sync.ts";
import { reindexAll } from "../search/reindex.ts";

const page = { page: 1, size: 20 };

Deno.test("applyVendorChange() brings products and the vendor index in step", async (t) => {
  await t.step(
    "a rename rewrites every product's copy and the index; twice writes nothing",
    async () => {
      const core = await testCore();
      const { vendors, catalog, vendorIndex } = core.ports;
      const inkwell = (await vendors.get("vnd-inkwell"))!;
      await vendors.replace({ ...inkwell, businessName: "Inkwell & Quill", slug: "inkwell-quill" });
      const first = await applyVendorChange(core.ports, inkwell.id);
      assert.ok(first.products > 0);
      const books = await catalog.list({
        vendorId: inkwell.id,
        attrs: [],
        sort: "newest",
        ...page,
      });
      for (const p of books.items) {
        assert.deepEqual(p.vendor, {
          id: inkwell.id,
          slug: "inkwell-quill",
          name: "Inkwell & Quill",
        });
      }
      assert.deepEqual((await vendorIndex.search("quill", page)).items.map((h) => h.slug), [
        "inkwell-quill",
      ]);
      const versions = books.items.map((p) => p.version);
      assert.deepEqual(await applyVendorChange(core.ports, inkwell.id), { products: 0 });
      const again = await catalog.list({
        vendorId: inkwell.id,
        attrs: [],
        sort: "newest",
        ...page,
      });
      assert.deepEqual(
        again.items.map((p) => p.version),
        versions,
        "idempotent: nothing rewritten",
      );
    },
  );

  await t.step("a rename landing mid-pass is picked up by another round", async () => {
    const core = await testCore();
    const { catalog, vendors } = core.ports;
    const northwind = (await vendors.get("vnd-northwind"))!;
    await vendors.replace({ ...northwind, businessName: "Northwind One" });
    let renamedAgain = false;
    const racing = {
      ...core.ports,
      catalog: new Proxy(catalog, {
        get(target, prop) {
          if (prop !== "replace") {
            const value = Reflect.get(target, prop);
            return typeof value === "function" ? value.bind(target) : value;
          }
          return async (p: Product) => {
            const stored = await target.replace(p);
            if (!renamedAgain) {
              renamedAgain = true;
              const current = (await vendors.get(northwind.id)) as Vendor;
              await vendors.replace({ ...current, businessName: "Northwind Two" });
            }
            return stored;
          };
        },
      }),
    };
    await applyVendorChange(racing, northwind.id);
    const laptops = await catalog.list({
      vendorId: northwind.id,
      attrs: [],
      sort: "newest",
      ...page,
    });
    assert.ok(laptops.total > 0);
    for (const p of laptops.items) assert.equal(p.vendor?.name, "Northwind Two", p.sku);
  });

  await t.step("a deleted vendor leaves the index", async () => {
    const core = await testCore();
    const v = await core.useCases.createVendor({
      slug: "gone-soon",
      businessName: "Gone Soon",
      contactInfo: {
        email: "a@b.example",
        address: { line1: "1 A St", city: "Oslo", postalCode: "0150", country: "NO" },
      },
    });
    await applyVendorChange(core.ports, v.id);
    assert.equal((await core.ports.vendorIndex.search("gone", page)).total, 1);
    await core.ports.vendors.delete(v.id, null);
    await applyVendorChange(core.ports, v.id);
    assert.equal((await core.ports.vendorIndex.search("gone", page)).total, 0);
  });

  await t.step("a product written with a copy read before a rename is repaired", async () => {
    const core = await testCore();
    const { catalog, vendors } = core.ports;
    const product = (await catalog.list({
      vendorId: "vnd-soundwave",
      attrs: [],
      sort: "newest",
      ...page,
    })).items[0];
    const stale = await catalog.replace({
      ...product,
      vendor: { id: "vnd-soundwave", slug: "soundwave-mobile", name: "Old Name" },
    });
    assert.equal(await refreshVendorCopy(core.ports, stale), true);
    assert.equal((await catalog.get(product.sku))!.vendor?.name, "Soundwave Mobile");
    assert.equal(await refreshVendorCopy(core.ports, (await catalog.get(product.sku))!), false);
    assert.ok(await vendors.get("vnd-soundwave"));
  });

  await t.step(
    "reconcileVendors() repairs every vendor's products (after a lost feed)",
    async () => {
      const core = await testCore();
      const { catalog } = core.ports;
      const product = (await catalog.list({
        vendorId: "vnd-trailhead",
        attrs: [],
        sort: "newest",
        ...page,
      })).items[0];
      await catalog.replace({ ...product, vendor: { ...product.vendor!, slug: "stale" } });
      const outcome = await reconcileVendors(core.ports);
      assert.equal(outcome.products, 1);
      assert.equal((await catalog.get(product.sku))!.vendor?.slug, "trailhead-outfitters");
    },
  );
});

Deno.test("the sync applies vendor events from the feed, in order, resumably", async () => {
  const core = await testCore();
  const { vendors } = core.ports;
  const trailhead = (await vendors.get("vnd-trailhead"))!;
  const once = await vendors.replace({ ...trailhead, businessName: "Trailhead One" });
  await vendors.replace({ ...once, businessName: "Trailhead Two" });
  await core.syncAll();
  const hits = await core.useCases.search({
    q: "",
    vendor: "trailhead-outfitters",
    sort: "relevance",
    page: 1,
    size: 100,
  });
  assert.ok(hits.total > 0);
  for (const hit of hits.items) assert.equal(hit.vendor?.name, "Trailhead Two");
  // Nothing left behind: a second pass finds nothing to apply.
  assert.deepEqual(await core.syncAll(), { applied: 0, parked: 0, stalled: false });
});

Deno.test("reindexAll() rebuilds the vendor index from the vendor profiles", async () => {
  const core = await testCore();
  const { vendorIndex } = core.ports;
  // The index lost a vendor (a write that never arrived): the rebuild brings it back.
  await vendorIndex.remove("vnd-inkwell", 2);
  assert.equal((await vendorIndex.search("inkwell", { page: 1, size: 5 })).total, 0);
  await reindexAll(core.ports);
  const found = await vendorIndex.search("", { page: 1, size: 20 });
  assert.deepEqual(found.items.map((h) => h.slug), [
    "inkwell-books",
    "northwind-computing",
    "soundwave-mobile",
    "trailhead-outfitters",
  ]);
});
