/**
 * Issue-10 proof on the real servers: a category rename or move is one write to MongoDB's
 * `categories`; its change stream drives the category sync, which rewrites the products'
 * breadcrumbs, and those product writes reach Elasticsearch through the catalog change stream
 * and drop the Redis product cache, so the API shows the new tree within the sync's lag.
 */
import assert from "node:assert/strict";
import { openStack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };

Deno.test({
  name: "category changes reach breadcrumbs, browse and search on the real servers",
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
      const skus = async (path: string) =>
        ((await call("GET", path)).body?.items ?? []).map((p: { sku: string }) => p.sku);
      const crumbs = async (sku: string) =>
        (await call("GET", `/products/${sku}`)).body?.breadcrumbs
          ?.map((b: { name: string }) => b.name).join(" > ");

      await ok("POST", "/admin/categories", { slug: "home", name: "Home" }, 201);
      await ok("POST", "/admin/categories", {
        slug: "lighting",
        name: "Lighting",
        parent: "home",
        attributes: [{ name: "watts", type: "number", unit: "W", required: true, facet: true }],
      }, 201);
      await ok(
        "POST",
        "/admin/categories",
        { slug: "lamps", name: "Lamps", parent: "lighting" },
        201,
      );
      await ok("POST", "/admin/categories", { slug: "decor", name: "Decor" }, 201);
      const missing = await call("POST", "/admin/products", {
        sku: "CAT-E2E-0",
        name: "Wattless Lamp",
        category: "lamps",
        brand: "Lumen",
        priceCents: 4_900,
        stock: 3,
      });
      assert.equal(missing.status, 400, "the inherited required attribute is checked");
      assert.equal(missing.body.errors[0].path, "attrs.watts");
      await ok("POST", "/admin/products", {
        sku: "CAT-E2E-1",
        name: "Polycart Orbit Lamp",
        category: "lamps",
        brand: "Lumen",
        attrs: { watts: 9 },
        priceCents: 4_900,
        stock: 3,
      }, 201);
      assert.equal(await crumbs("CAT-E2E-1"), "Home > Lighting > Lamps"); // now in Redis
      await eventually(
        "the product in /search?category=home",
        async () => (await skus("/search?category=home")).includes("CAT-E2E-1"),
      );

      const renamed = await ok("PATCH", "/admin/categories/lighting", { name: "Lights" }, 200);
      assert.deepEqual(renamed.breadcrumbs.map((b: { name: string }) => b.name), [
        "Home",
        "Lights",
      ]);
      const renameLag = await eventually(
        "the rename in the product's breadcrumbs (cache dropped)",
        async () => (await crumbs("CAT-E2E-1")) === "Home > Lights > Lamps",
      );

      await ok("PATCH", "/admin/categories/lamps", { parent: "decor" }, 200);
      const moveLag = await eventually("the move in search", async () => {
        const [decor, home] = await Promise.all([
          skus("/search?category=decor"),
          skus("/search?category=home"),
        ]);
        return decor.includes("CAT-E2E-1") && !home.includes("CAT-E2E-1");
      });
      assert.equal(await crumbs("CAT-E2E-1"), "Decor > Lamps");
      assert.deepEqual(await skus("/products?category=decor"), ["CAT-E2E-1"]);
      assert.deepEqual(await skus("/products?category=home"), []);
      const facets = (await call("GET", "/search?category=decor")).body.facets.category;
      assert.deepEqual(facets, [{ value: "lamps", count: 1 }]);
      const lamps = await ok("GET", "/categories/lamps", undefined, 200);
      assert.equal(lamps.path, "decor/lamps");
      await eventually(
        "the stored path follows the parent",
        async () => (await stack.ports.categories.get("lamps"))?.path === "decor/lamps",
      );

      const cycle = await call("PATCH", "/admin/categories/decor", { parent: "lamps" });
      assert.equal(cycle.status, 422, cycle.text);
      const inUse = await call("DELETE", "/admin/categories/lamps");
      assert.equal(inUse.status, 409, inUse.text);
      await ok("DELETE", "/admin/categories/lighting", undefined, 204);
      console.log(
        `    rename visible after ${Math.round(renameLag)} ms, move after ${
          Math.round(moveLag)
        } ms`,
      );
    } finally {
      await stack.close();
    }
  },
});
