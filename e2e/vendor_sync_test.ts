/**
 * Issue-12 proof on the real servers: a vendor rename is one write to MongoDB's `vendors`; its
 * change stream drives the vendor sync, which rewrites the products' `vendor` copies (and the
 * vendor index in Elasticsearch); those product writes reach product search through the
 * catalog change stream and drop the Redis product cache, so the API shows the new name and
 * slug within the sync's lag.
 */
import assert from "node:assert/strict";
import { openStack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };

Deno.test({
  name:
    "a vendor rename reaches its products, product search and vendor search on the real servers",
  ignore: urls === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const stack = await openStack(urls!);
    try {
      stack.startSync();
      await stack.useCases.ensureAdmin(ADMIN);
      const login = await stack.app.request("/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADMIN),
      });
      const { token } = await login.json();
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await stack.app.request(path, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, text };
      };
      const ok = async (method: string, path: string, body: unknown, status: number) => {
        const res = await call(method, path, body);
        assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
        return res.body;
      };

      await ok("POST", "/admin/categories", { slug: "wine", name: "Wine" }, 201);
      const vendor = await ok("POST", "/admin/vendors", {
        slug: "weingut-e2e",
        businessName: "Weingut Sonnenhang",
        contactInfo: {
          email: "wein@e2e.example",
          address: { line1: "Uferallee 1", city: "Bernkastel", postalCode: "54470", country: "DE" },
        },
        certifications: [{ name: "EU Organic" }],
        details: { appellation: "Mosel", vineyards: [{ name: "Sonnenuhr", hectares: 2.5 }] },
      }, 201);
      const unknown = await call("POST", "/admin/products", {
        sku: "VND-E2E-0",
        name: "Orphan Riesling",
        category: "wine",
        brand: "Mosel",
        priceCents: 1_900,
        vendorId: "no-such-vendor",
      });
      assert.equal(unknown.status, 422, unknown.text);
      for (const n of [1, 2]) {
        await ok("POST", "/admin/products", {
          sku: `VND-E2E-${n}`,
          name: `Sonnenhang Riesling ${n}`,
          category: "wine",
          brand: "Mosel",
          priceCents: 1_900 + n,
          stock: 5,
          vendorId: vendor.id,
        }, 201);
      }
      const vendorSkus = async (slug: string) =>
        ((await call("GET", `/search?vendor=${slug}`)).body?.items ?? [])
          .map((h: { sku: string }) => h.sku).sort();
      await eventually(
        "the products in /search?vendor=weingut-e2e",
        async () => (await vendorSkus("weingut-e2e")).length === 2,
      );
      assert.equal(
        (await call("GET", "/products/VND-E2E-1")).body.vendor.name,
        "Weingut Sonnenhang",
      );
      await eventually(
        "the vendor in /vendors/search (typo)",
        async () =>
          (await call("GET", "/vendors/search?q=sonenhang")).body?.items?.[0]?.slug ===
            "weingut-e2e",
      );
      const stored = await ok("GET", "/vendors/weingut-e2e", undefined, 200);
      assert.deepEqual(stored.details, {
        appellation: "Mosel",
        vineyards: [{ name: "Sonnenuhr", hectares: 2.5 }],
      });

      await ok("PATCH", "/admin/vendors/weingut-e2e", {
        businessName: "Weingut Sonnenhang & Söhne",
        slug: "sonnenhang-soehne",
      }, 200);
      const renameLag = await eventually("the rename in product search", async () => {
        const hits = (await call("GET", "/search?vendor=sonnenhang-soehne")).body?.items ?? [];
        return hits.length === 2 &&
          hits.every((h: { vendor: { name: string } }) =>
            h.vendor.name === "Weingut Sonnenhang & Söhne"
          );
      });
      assert.deepEqual(await vendorSkus("weingut-e2e"), [], "the old slug matches nothing");
      const facet = (await call("GET", "/search?q=riesling")).body.facets.vendor;
      assert.deepEqual(facet, [{ value: "sonnenhang-soehne", count: 2 }]);
      // The product cache was dropped: the product page shows the new name.
      const product = await ok("GET", "/products/VND-E2E-2", undefined, 200);
      assert.deepEqual(product.vendor, {
        id: vendor.id,
        slug: "sonnenhang-soehne",
        name: "Weingut Sonnenhang & Söhne",
      });
      const page = await ok("GET", "/vendors/sonnenhang-soehne/products", undefined, 200);
      assert.equal(page.total, 2);
      await eventually(
        "the rename in vendor search",
        async () =>
          (await call("GET", "/vendors/search?q=sohne")).body?.items?.[0]?.slug ===
            "sonnenhang-soehne",
      );

      const refused = await call("DELETE", "/admin/vendors/sonnenhang-soehne");
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.body.type, "/docs#problem-vendor_has_products");
      console.log(`    vendor rename visible in product search after ${Math.round(renameLag)} ms`);
    } finally {
      await stack.close();
    }
  },
});
