import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const laptop = (overrides: Record<string, unknown> = {}) => ({
  sku: "LAP-950",
  name: "Route Test Laptop",
  category: "laptops",
  brand: "Polycart",
  attrs: { cpu: "M3", screen_in: 14 },
  priceCents: 99_900,
  stock: 3,
  ...overrides,
});

Deno.test("GET /categories and /categories/:slug answer the tree and one category", async (t) => {
  const h = await harness();

  await t.step("the tree, roots with their subtrees", async () => {
    const res = await h.call("GET", "/categories");
    assert.equal(res.status, 200, res.text);
    const electronics = res.body.items.find((n: { slug: string }) => n.slug === "electronics");
    assert.deepEqual(
      electronics.children.map((n: { slug: string }) => n.slug),
      ["audio", "computers", "phones"],
    );
  });

  await t.step("one category with breadcrumbs and effective attributes", async () => {
    const res = await h.call("GET", "/categories/headphones");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.breadcrumbs, [
      { slug: "electronics", name: "Electronics" },
      { slug: "audio", name: "Audio" },
      { slug: "headphones", name: "Headphones" },
    ]);
    const wireless = res.body.effectiveAttributes.find((d: { name: string }) =>
      d.name === "wireless"
    );
    assert.deepEqual(wireless, { name: "wireless", type: "boolean", required: true, facet: true });
    assertProblem(await h.call("GET", "/categories/nope"), 404, "not_found");
  });

  await t.step("a product answers its breadcrumbs", async () => {
    const res = await h.call("GET", "/products/HDP-001");
    assert.deepEqual(res.body.breadcrumbs.map((b: { slug: string }) => b.slug), [
      "electronics",
      "audio",
      "headphones",
    ]);
  });

  await t.step("/products?category= and /search?category= cover the subtree", async () => {
    const browse = await h.call("GET", "/products?category=computers&size=100");
    const categories = new Set(browse.body.items.map((p: { category: string }) => p.category));
    assert.deepEqual([...categories].sort(), ["laptops", "monitors"]);
    const found = await h.call("GET", "/search?category=computers&size=100");
    assert.equal(found.body.total, browse.body.total);
    assert.deepEqual(
      found.body.facets.category.map((f: { value: string }) => f.value).sort(),
      ["laptops", "monitors"],
    );
  });
});

Deno.test("admin category routes: every refusal is a precise problem", async (t) => {
  const h = await harness();
  const token = await h.admin();
  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token, body });

  await t.step("a product naming an unknown category is 400 unknown_category", async () => {
    const res = await admin("POST", "/admin/products", laptop({ category: "spaceships" }));
    assertProblem(res, 400, "unknown_category");
    assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path), ["category"]);
    assert.equal(res.body.category, "spaceships");
  });

  await t.step("a missing required attribute is 400 naming attrs.<name>", async () => {
    const res = await admin("POST", "/admin/products", laptop({ attrs: { screen_in: 14 } }));
    assertProblem(res, 400, "invalid_attributes");
    assert.deepEqual(res.body.errors, [{
      path: "attrs.cpu",
      message: "attrs.cpu is required in category laptops",
    }]);
  });

  await t.step("a wrong type or enum value is 400 naming the attribute", async () => {
    const res = await admin(
      "POST",
      "/admin/products",
      laptop({ attrs: { cpu: "M3", screen_in: "fourteen" } }),
    );
    assertProblem(res, 400, "invalid_attributes");
    assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path), ["attrs.screen_in"]);
    const patched = await admin("PATCH", "/admin/products/HDP-001", { attrs: { form: "cup" } });
    assertProblem(patched, 400, "invalid_attributes");
    assert.ok(patched.body.errors.some((e: { path: string }) => e.path === "attrs.form"));
    assert.equal((await admin("POST", "/admin/products", laptop())).status, 201);
  });

  await t.step("create, rename, move; bad bodies are 400", async () => {
    const created = await admin("POST", "/admin/categories", {
      slug: "tablets",
      name: "Tablets",
      parent: "electronics",
      attributes: [{ name: "pen", type: "boolean", required: true, facet: true }],
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.path, "electronics/tablets");
    assertProblem(
      await admin("POST", "/admin/categories", { slug: "tablets", name: "Again" }),
      409,
      "already_exists",
    );
    assertProblem(
      await admin("POST", "/admin/categories", { slug: "x-ray", name: "X", parent: "ghost" }),
      400,
      "unknown_category",
    );
    assert.deepEqual(
      invalidFields(
        await admin("POST", "/admin/categories", {
          slug: "Bad Slug",
          name: "B",
          attributes: [{ name: "size", type: "enum", color: 1 }],
        }),
      ).sort(),
      ["attributes[0].color", "attributes[0].values", "slug"],
    );
    assert.deepEqual(
      invalidFields(
        await admin("POST", "/admin/categories", {
          slug: "enums",
          name: "E",
          attributes: [{ name: "size", type: "enum" }],
        }),
      ),
      ["attributes[0].values"],
    );
    const renamed = await admin("PATCH", "/admin/categories/tablets", { name: "Tablets & pens" });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.name, "Tablets & pens");
    assert.deepEqual(invalidFields(await admin("PATCH", "/admin/categories/tablets", {})), [""]);
    assertProblem(await admin("PATCH", "/admin/categories/ghost", { name: "G" }), 404, "not_found");
  });

  await t.step("moving a category under its own descendant is 422 category_cycle", async () => {
    const res = await admin("PATCH", "/admin/categories/electronics", { parent: "laptops" });
    assertProblem(res, 422, "category_cycle");
    assert.deepEqual([res.body.category, res.body.parent], ["electronics", "laptops"]);
  });

  await t.step("deleting a category with products or children is 409 category_in_use", async () => {
    const withChildren = await admin("DELETE", "/admin/categories/audio");
    assertProblem(withChildren, 409, "category_in_use");
    assert.deepEqual(withChildren.body.children, ["headphones"]);
    const withProducts = await admin("DELETE", "/admin/categories/headphones");
    assertProblem(withProducts, 409, "category_in_use");
    assert.equal(withProducts.body.products, 13);
    assert.equal((await admin("DELETE", "/admin/categories/tablets")).status, 204);
    assertProblem(await admin("DELETE", "/admin/categories/tablets"), 404, "not_found");
  });

  await t.step("the admin routes need an admin", async () => {
    const user = await h.register();
    assertProblem(
      await h.call("POST", "/admin/categories", {
        token: user.token,
        body: { slug: "a", name: "A" },
      }),
      403,
      "forbidden",
    );
  });
});
