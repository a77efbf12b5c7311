import assert from "node:assert/strict";
import { assertProblem, harness } from "./_harness_test.ts";

const winery = (overrides: Record<string, unknown> = {}) => ({
  slug: "weingut-test",
  businessName: "Weingut Test",
  contactInfo: {
    email: "wein@test.example",
    address: { line1: "Uferallee 1", city: "Bernkastel", postalCode: "54470", country: "DE" },
  },
  certifications: [{ name: "EU Organic" }],
  details: { appellation: "Mosel", vineyards: [{ name: "Sonnenuhr", hectares: 2.5 }] },
  ...overrides,
});

const laptop = (overrides: Record<string, unknown> = {}) => ({
  sku: "LAP-960",
  name: "Vendor Test Laptop",
  category: "laptops",
  brand: "Polycart",
  attrs: { cpu: "M3", screen_in: 14 },
  priceCents: 99_900,
  stock: 3,
  ...overrides,
});

Deno.test("GET /vendors/:slug, its products and /vendors/search on the seeded store", async (t) => {
  const h = await harness();

  await t.step("a seeded vendor's profile, details as stored", async () => {
    const res = await h.call("GET", "/vendors/northwind-computing");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, "vnd-northwind");
    assert.equal(res.body.businessName, "Northwind Computing");
    assert.equal(res.body.contactInfo.address.city, "Seattle");
    assert.deepEqual(res.body.details, {
      warrantyYears: 3,
      repairCenters: ["Seattle", "Austin"],
      onsiteService: true,
    });
  });

  await t.step("an unknown vendor is 404 on the profile and on its products", async () => {
    assertProblem(await h.call("GET", "/vendors/no-such-vendor"), 404, "not_found");
    assertProblem(await h.call("GET", "/vendors/no-such-vendor/products"), 404, "not_found");
  });

  await t.step("its products: visible ones only, paged, each naming the vendor", async () => {
    const res = await h.call("GET", "/vendors/inkwell-books/products?size=100");
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.total > 0);
    for (const p of res.body.items) {
      assert.equal(p.category, "books");
      assert.deepEqual(p.vendor, {
        id: "vnd-inkwell",
        slug: "inkwell-books",
        name: "Inkwell Books",
      });
      assert.ok(p.publishedAt !== null && Date.parse(p.publishedAt) <= h.clock.now().getTime());
    }
    // The seed's draft and scheduled books are left out.
    const names = res.body.items.map((p: { name: string }) => p.name);
    assert.ok(!names.includes("Hexagonal Commerce Handbook"));
    const first = await h.call("GET", "/vendors/inkwell-books/products?size=1&page=2");
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.total, res.body.total);
  });

  await t.step("search tolerates typos and needs every word", async () => {
    const typo = await h.call("GET", "/vendors/search?q=nortwind");
    assert.equal(typo.status, 200, typo.text);
    assert.deepEqual(typo.body.items.map((v: { slug: string }) => v.slug), ["northwind-computing"]);
    const organic = await h.call("GET", "/vendors/search?q=organic%20boulder");
    assert.deepEqual(organic.body.items.map((v: { slug: string }) => v.slug), [
      "trailhead-outfitters",
    ]);
    const all = await h.call("GET", "/vendors/search");
    assert.equal(all.body.total, 4);
    assertProblem(await h.call("GET", "/vendors/search?query=x"), 400, "validation_failed");
  });

  await t.step("/search filters by vendor slug and counts the vendor facet", async () => {
    const all = await h.call("GET", "/search?size=1");
    const facet = all.body.facets.vendor as { value: string; count: number }[];
    assert.deepEqual(facet.map((f) => f.value).sort(), [
      "inkwell-books",
      "northwind-computing",
      "soundwave-mobile",
      "trailhead-outfitters",
    ]);
    const books = facet.find((f) => f.value === "inkwell-books")!;
    const filtered = await h.call("GET", "/search?vendor=inkwell-books&size=100");
    assert.equal(filtered.body.total, books.count);
    for (const hit of filtered.body.items) {
      assert.deepEqual(hit.vendor, { slug: "inkwell-books", name: "Inkwell Books" });
    }
    assertProblem(await h.call("GET", "/search?vendor=Not%20A%20Slug"), 400, "validation_failed");
  });
});

Deno.test("/admin/vendors: create, change, delete, and every refusal", async (t) => {
  const h = await harness();
  const admin = await h.admin();
  const customer = await h.register();

  await t.step("create answers the vendor with details kept as given", async () => {
    const res = await h.call("POST", "/admin/vendors", { token: admin, body: winery() });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.details, winery().details);
    assert.deepEqual(res.body.certifications, [{ name: "EU Organic" }]);
    assert.equal(res.body.description, "");
    const listed = await h.call("GET", "/admin/vendors?size=100", { token: admin });
    assert.ok(listed.body.items.some((v: { slug: string }) => v.slug === "weingut-test"));
  });

  await t.step("only admins write", async () => {
    assertProblem(
      await h.call("POST", "/admin/vendors", { body: winery() }),
      401,
      "unauthenticated",
    );
    assertProblem(
      await h.call("POST", "/admin/vendors", { token: customer.token, body: winery() }),
      403,
      "forbidden",
    );
  });

  await t.step("a duplicate slug is 409 already_exists", async () => {
    const res = await h.call("POST", "/admin/vendors", { token: admin, body: winery() });
    assertProblem(res, 409, "already_exists");
    assert.equal(res.body.field, "slug");
    const taken = await h.call("PATCH", "/admin/vendors/weingut-test", {
      token: admin,
      body: { slug: "inkwell-books" },
    });
    assertProblem(taken, 409, "already_exists");
  });

  await t.step("bad bodies are 400 naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [winery({ slug: "Not A Slug" }), "slug"],
      [winery({ slug: "search" }), "slug"],
      [winery({ businessName: "" }), "businessName"],
      [
        winery({ contactInfo: { email: "nope", address: winery().contactInfo.address } }),
        "contactInfo.email",
      ],
      [winery({ certifications: [{ name: "x", grade: "A" }] }), "certifications[0].grade"],
      [
        winery({
          contactInfo: { ...winery().contactInfo, website: "javascript:alert(1)" },
        }),
        "contactInfo.website",
      ],
      [winery({ details: "not an object" }), "details"],
      [winery({ extra: true }), "extra"],
    ];
    for (const [body, path] of cases) {
      const res = await h.call("POST", "/admin/vendors", { token: admin, body });
      assertProblem(res, 400, "validation_failed");
      assert.ok(
        res.body.errors.some((e: { path: string }) => e.path === path),
        `${path}: ${res.text}`,
      );
    }
    assertProblem(
      await h.call("PATCH", "/admin/vendors/weingut-test", { token: admin, body: {} }),
      400,
      "validation_failed",
    );
  });

  await t.step("details beyond the limits are 400 invalid_vendor naming the field", async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10; i++) deep = { deeper: deep };
    const cases: [Record<string, unknown>, string][] = [
      [{ $where: "1" }, "details.$where"],
      [{ "a.b": 1 }, "details.a.b"],
      [deep, "details.deeper.deeper.deeper.deeper.deeper.deeper.deeper.deeper"],
    ];
    for (const [details, path] of cases) {
      const res = await h.call("POST", "/admin/vendors", {
        token: admin,
        body: winery({ slug: "limits-test", details }),
      });
      assertProblem(res, 400, "invalid_vendor");
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), res.text);
    }
    const big = { blob: "x".repeat(20_000) };
    const res = await h.call("POST", "/admin/vendors", {
      token: admin,
      body: winery({ slug: "limits-test", details: big }),
    });
    assert.equal(res.status, 400, res.text);
    assert.equal(await h.useCases.getVendor("limits-test").catch(() => null), null);
  });

  await t.step("an unknown vendor is 404 on PATCH and DELETE", async () => {
    assertProblem(
      await h.call("PATCH", "/admin/vendors/nobody", { token: admin, body: { businessName: "X" } }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("DELETE", "/admin/vendors/nobody", { token: admin }),
      404,
      "not_found",
    );
  });

  await t.step(
    "a product naming an unknown vendor is 422 unknown_vendor, nothing written",
    async () => {
      const res = await h.call("POST", "/admin/products", {
        token: admin,
        body: laptop({ vendorId: "vnd-nobody" }),
      });
      assertProblem(res, 422, "unknown_vendor");
      assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path), ["vendorId"]);
      assert.equal(await h.memory.ports.catalog.get("LAP-960"), null);
      const patch = await h.call("PATCH", "/admin/products/LAP-001", {
        token: admin,
        body: { vendorId: "vnd-nobody" },
      });
      assertProblem(patch, 422, "unknown_vendor");
    },
  );

  await t.step("a vendor with products cannot be deleted (409); without, it can", async () => {
    const vendor = (await h.call("GET", "/vendors/weingut-test")).body;
    const created = await h.call("POST", "/admin/products", {
      token: admin,
      body: laptop({ vendorId: vendor.id }),
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.vendor, {
      id: vendor.id,
      slug: "weingut-test",
      name: "Weingut Test",
    });
    const refused = await h.call("DELETE", "/admin/vendors/weingut-test", { token: admin });
    assertProblem(refused, 409, "vendor_has_products");
    assert.equal(refused.body.products, 1);
    // Reassigned to the shop itself: the vendor has no products left.
    const moved = await h.call("PATCH", "/admin/products/LAP-960", {
      token: admin,
      body: { vendorId: null },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.vendor, null);
    const deleted = await h.call("DELETE", "/admin/vendors/weingut-test", { token: admin });
    assert.equal(deleted.status, 204, deleted.text);
    assertProblem(await h.call("GET", "/vendors/weingut-test"), 404, "not_found");
    await h.memory.syncAll();
    const found = await h.call("GET", "/vendors/search?q=weingut");
    assert.deepEqual(found.body.items, [], "the sync removed it from the vendor index");
  });

  await t.step("a rename reaches the vendor's products and search through the sync", async () => {
    const renamed = await h.call("PATCH", "/admin/vendors/inkwell-books", {
      token: admin,
      body: { businessName: "Inkwell & Quill", slug: "inkwell-quill" },
    });
    assert.equal(renamed.status, 200, renamed.text);
    const before = await h.call("GET", "/search?vendor=inkwell-quill");
    assert.equal(before.body.total, 0, "no dual write: search follows the feed");
    await h.memory.syncAll();
    const after = await h.call("GET", "/search?vendor=inkwell-quill&size=100");
    assert.ok(after.body.total > 0, after.text);
    for (const hit of after.body.items) {
      assert.deepEqual(hit.vendor, { slug: "inkwell-quill", name: "Inkwell & Quill" });
    }
    assert.equal((await h.call("GET", "/search?vendor=inkwell-books")).body.total, 0);
    const products = await h.call("GET", "/vendors/inkwell-quill/products");
    assert.equal(products.body.items[0].vendor.name, "Inkwell & Quill");
    const sku = products.body.items[0].sku;
    assert.equal((await h.call("GET", `/products/${sku}`)).body.vendor.slug, "inkwell-quill");
    const found = await h.call("GET", "/vendors/search?q=quil");
    assert.deepEqual(found.body.items.map((v: { slug: string }) => v.slug), ["inkwell-quill"]);
  });
});
