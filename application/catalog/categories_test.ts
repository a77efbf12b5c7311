import assert from "node:assert/strict";
import {
  CategoryCycle,
  CategoryInUse,
  InvalidAttributes,
  InvalidCategory,
  NotFound,
  UnknownCategory,
} from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";
import { createProduct, type NewProductInput } from "./manage_catalog.ts";
import { deleteCategory, updateCategory } from "./categories.ts";

function laptop(overrides: Partial<NewProductInput> = {}): NewProductInput {
  return {
    sku: "LAP-777",
    name: "Polycart Air 13",
    category: "laptops",
    brand: "Polycart",
    description: "A laptop made by the tests.",
    images: [],
    attrs: { cpu: "M3", screen_in: 13.6, ram_gb: 16 },
    variants: [],
    tags: [],
    priceCents: 99_900,
    stock: 5,
    ...overrides,
  };
}

const search = (category?: string) => ({
  q: "",
  category,
  sort: "price_asc" as const,
  page: 1,
  size: 100,
});

Deno.test("categories: the tree, breadcrumbs and inherited attributes", async (t) => {
  const core = await testCore();

  await t.step(
    "getCategory() answers breadcrumbs from the root and effective attributes",
    async () => {
      const laptops = await core.useCases.getCategory("laptops");
      assert.equal(laptops.path, "electronics/computers/laptops");
      assert.deepEqual(laptops.breadcrumbs.map((b) => b.slug), [
        "electronics",
        "computers",
        "laptops",
      ]);
      assert.deepEqual(laptops.attributes.map((d) => d.name), [
        "cpu",
        "ram_gb",
        "storage_gb",
        "screen_in",
      ]);
      assert.deepEqual(laptops.effectiveAttributes.map((d) => d.name), [
        "color",
        "weight_kg",
        "cpu",
        "ram_gb",
        "storage_gb",
        "screen_in",
      ]);
      await assert.rejects(core.useCases.getCategory("nope"), NotFound);
    },
  );

  await t.step("categoryTree() holds the seeded three levels", async () => {
    const roots = await core.useCases.categoryTree();
    assert.deepEqual(
      roots.filter((n) => ["apparel", "books", "electronics"].includes(n.slug)).map((n) => n.slug),
      ["apparel", "books", "electronics"],
    );
    const electronics = roots.find((n) => n.slug === "electronics")!;
    const computers = electronics.children.find((n) => n.slug === "computers")!;
    assert.deepEqual(computers.children.map((n) => n.slug), ["laptops", "monitors"]);
  });

  await t.step("every seeded product carries the breadcrumbs of its category", async () => {
    const product = await core.useCases.getProduct("LAP-001");
    assert.deepEqual(product.breadcrumbs?.map((b) => b.name), [
      "Electronics",
      "Computers",
      "Laptops",
    ]);
  });
});

Deno.test("createProduct() and updateProduct() check the category's effective attributes", async (t) => {
  const core = await testCore();
  const refused = async (input: NewProductInput, code: string, paths: string[]) => {
    await assert.rejects(core.useCases.createProduct(input), (e) => {
      assert.ok(e instanceof UnknownCategory || e instanceof InvalidAttributes, String(e));
      assert.equal(e.code, code);
      assert.deepEqual(e.errors.map((p) => p.path), paths);
      return true;
    });
    assert.equal(await core.ports.catalog.get(input.sku), null, "nothing was written");
    assert.equal(await core.ports.inventory.get(input.sku), null);
  };

  await t.step("an unknown category is refused naming `category`", async () => {
    await refused(laptop({ category: "spaceships" }), "unknown_category", ["category"]);
  });

  await t.step("a missing required attribute, inherited ones included", async () => {
    await refused(laptop({ attrs: { screen_in: 14 } }), "invalid_attributes", ["attrs.cpu"]);
    await refused(
      laptop({
        sku: "HDP-777",
        category: "headphones",
        attrs: { form: "in-ear", anc: true, battery_h: 6 },
      }),
      "invalid_attributes",
      ["attrs.wireless"],
    );
  });

  await t.step("a wrong type or an enum value not allowed", async () => {
    await refused(
      laptop({ attrs: { cpu: "M3", screen_in: "13.6", color: 1 } }),
      "invalid_attributes",
      ["attrs.color", "attrs.screen_in"],
    );
    await refused(
      laptop({ sku: "TSH-777", category: "t-shirts", attrs: { size: "XXXL" } }),
      "invalid_attributes",
      ["attrs.size"],
    );
  });

  await t.step(
    "a variant's attribute of the wrong type or value is refused naming it",
    async () => {
      const variant = (sku: string, size: string) => ({
        sku,
        label: size,
        attrs: { size, color: "Black" },
        stock: 1,
      });
      await refused(
        laptop({
          sku: "TSH-778",
          category: "t-shirts",
          attrs: {},
          stock: 0,
          variants: [variant("TSH-778-M", "M"), variant("TSH-778-X", "XXXL")],
        }),
        "invalid_attributes",
        ["variants[1].attrs.size"],
      );
    },
  );

  await t.step("undeclared attributes stay allowed; the product gets its breadcrumbs", async () => {
    const view = await core.useCases.createProduct(
      laptop({ attrs: { cpu: "M3", screen_in: 13.6, hinge: "360" } }),
    );
    assert.deepEqual(view.breadcrumbs?.map((b) => b.slug), ["electronics", "computers", "laptops"]);
    assert.equal(view.categoryPath, "electronics/computers/laptops");
  });

  await t.step(
    "an update re-checks a new category or new attributes, and moves the crumbs",
    async () => {
      await assert.rejects(
        core.useCases.updateProduct("LAP-777", { attrs: { screen_in: 13.6 } }),
        (e) => e instanceof InvalidAttributes && e.errors[0].path === "attrs.cpu",
      );
      await assert.rejects(
        core.useCases.updateProduct("LAP-777", { category: "nowhere" }),
        UnknownCategory,
      );
      const priced = await core.useCases.updateProduct("LAP-777", { priceCents: 89_900 });
      assert.equal(priced.categoryPath, "electronics/computers/laptops");
      const moved = await core.useCases.updateProduct("LAP-777", { category: "testing" });
      assert.deepEqual(moved.breadcrumbs, [{ slug: "testing", name: "Testing" }]);
    },
  );
});

Deno.test("a category write reaches products and search through the feed only", async (t) => {
  const core = await testCore();

  await t.step(
    "a rename writes the category alone; the sync rewrites the breadcrumbs",
    async () => {
      const cached = await core.useCases.getProduct("LAP-001"); // now in the product cache
      const before = (await core.ports.catalog.get("LAP-001"))!;
      await core.useCases.updateCategory("computers", { name: "Computing" });
      // No dual write: the product is untouched until the category feed is consumed.
      const untouched = (await core.ports.catalog.get("LAP-001"))!;
      assert.equal(untouched.version, before.version);
      assert.deepEqual(untouched.breadcrumbs, cached.breadcrumbs);
      await core.syncAll();
      const after = (await core.ports.catalog.get("LAP-001"))!;
      assert.equal(after.version, before.version + 1);
      assert.deepEqual(after.breadcrumbs?.map((b) => b.name), [
        "Electronics",
        "Computing",
        "Laptops",
      ]);
      // The product cache does not serve the old crumbs after the sync.
      const read = await core.useCases.getProduct("LAP-001");
      assert.deepEqual(read.breadcrumbs?.map((b) => b.name), [
        "Electronics",
        "Computing",
        "Laptops",
      ]);
      const monitor = await core.useCases.getProduct("MON-001");
      assert.equal(monitor.breadcrumbs?.[1].name, "Computing");
    },
  );

  await t.step("a move changes paths, browse and /search?category= after the sync", async () => {
    await core.useCases.createCategory({
      slug: "displays",
      name: "Displays",
      parent: "electronics",
    });
    const monitorsBefore = (await core.useCases.search(search("monitors"))).total;
    assert.ok(monitorsBefore > 0);
    await core.useCases.updateCategory("monitors", { parent: "displays" });
    assert.equal((await core.useCases.search(search("displays"))).total, 0, "not before the sync");
    await core.syncAll();
    assert.equal(
      (await core.ports.categories.get("monitors"))!.path,
      "electronics/displays/monitors",
    );
    const displays = await core.useCases.search(search("displays"));
    assert.equal(displays.total, monitorsBefore);
    assert.ok(displays.items.every((i) => i.category === "monitors"));
    assert.deepEqual(displays.facets.category, [{ value: "monitors", count: monitorsBefore }]);
    const computers = await core.useCases.search(search("computers"));
    assert.deepEqual(computers.facets.category.map((f) => f.value), ["laptops"]);
    const browse = await core.useCases.listProducts({
      category: "displays",
      attrs: [],
      sort: "newest",
      page: 1,
      size: 100,
    });
    assert.equal(browse.total, monitorsBefore);
    const mon = await core.useCases.getProduct("MON-001");
    assert.equal(mon.categoryPath, "electronics/displays/monitors");
  });

  await t.step("moving a parent moves its descendants' paths too", async () => {
    await core.useCases.updateCategory("displays", { parent: null });
    await core.syncAll();
    assert.equal((await core.ports.categories.get("monitors"))!.path, "displays/monitors");
    const mon = await core.useCases.getProduct("MON-002");
    assert.deepEqual(mon.breadcrumbs?.map((b) => b.slug), ["displays", "monitors"]);
    assert.equal(
      (await core.useCases.search(search("electronics"))).items
        .filter((i) => i.category === "monitors").length,
      0,
    );
  });

  await t.step("applying the same events again changes nothing (idempotent)", async () => {
    const before = (await core.ports.catalog.get("MON-002"))!;
    await core.ports.syncState.saveCheckpoint(core.changes.name, "0", new Date());
    await core.syncAll();
    assert.equal((await core.ports.catalog.get("MON-002"))!.version, before.version);
  });
});

Deno.test("category writes refuse what would break the tree", async (t) => {
  const core = await testCore();

  await t.step("a cycle is CategoryCycle; an unknown parent UnknownCategory", async () => {
    await assert.rejects(
      core.useCases.updateCategory("electronics", { parent: "laptops" }),
      (e) => e instanceof CategoryCycle && e.parent === "laptops",
    );
    await assert.rejects(
      core.useCases.updateCategory("electronics", { parent: "electronics" }),
      CategoryCycle,
    );
    await assert.rejects(
      core.useCases.updateCategory("laptops", { parent: "ghost" }),
      (e) => e instanceof UnknownCategory && e.field === "parent",
    );
    await assert.rejects(
      core.useCases.createCategory({ slug: "x", name: "X", parent: "ghost" }),
      UnknownCategory,
    );
    assert.equal((await core.ports.categories.get("electronics"))!.parent, null);
  });

  await t.step("bad definitions are InvalidCategory", async () => {
    await assert.rejects(
      core.useCases.createCategory({
        slug: "bad",
        name: "Bad",
        attributes: [{ name: "size", type: "enum", required: false, facet: true }],
      }),
      (e) => e instanceof InvalidCategory && e.errors[0].path === "attributes[0].values",
    );
  });

  await t.step("deleting a category with products or children is CategoryInUse", async () => {
    await assert.rejects(
      core.useCases.deleteCategory("computers"),
      (e) => e instanceof CategoryInUse && e.children.join() === "laptops,monitors",
    );
    await assert.rejects(
      core.useCases.deleteCategory("books"),
      (e) => e instanceof CategoryInUse && e.products === 13,
    );
    await core.useCases.createCategory({ slug: "empty", name: "Empty", parent: "books" });
    await core.useCases.deleteCategory("empty");
    assert.equal(await core.ports.categories.get("empty"), null);
    await assert.rejects(core.useCases.deleteCategory("empty"), NotFound);
  });
});

Deno.test("without transactions, a write that a concurrent one made wrong is undone", async (t) => {
  await t.step("a product created while its category is deleted is undone", async () => {
    const core = await testCore();
    await core.useCases.createCategory({ slug: "fleeting", name: "Fleeting" });
    const categories = core.ports.categories;
    // The check sees the category; by the time the product is written it is gone.
    const racing = {
      ...categories,
      all: async () => {
        const all = await categories.all();
        await categories.delete("fleeting", null);
        return all;
      },
      get: (slug: string) => categories.get(slug),
      children: (slug: string) => categories.children(slug),
    };
    await assert.rejects(
      createProduct({ ...core.ports, categories: racing as typeof categories }, {
        ...laptop({ sku: "RACE-1", category: "fleeting", attrs: {} }),
      }),
      UnknownCategory,
    );
    assert.equal(await core.ports.catalog.get("RACE-1"), null);
    assert.equal(await core.ports.inventory.get("RACE-1"), null);
  });

  await t.step("a category deleted while a product arrives is put back", async () => {
    const core = await testCore();
    await core.useCases.createCategory({ slug: "busy", name: "Busy" });
    const catalog = core.ports.catalog;
    let lists = 0;
    const racing = {
      ...core.ports,
      catalog: Object.assign(Object.create(catalog), {
        list: async (query: Parameters<typeof catalog.list>[0]) => {
          if (++lists === 1) {
            const empty = await catalog.list(query);
            // A product lands right after the check.
            await core.useCases.createProduct(
              laptop({ sku: "RACE-2", category: "busy", attrs: {} }),
            );
            return empty;
          }
          return catalog.list(query);
        },
      }),
    };
    await assert.rejects(
      deleteCategory(racing, "busy"),
      (e) => e instanceof CategoryInUse && e.products === 1,
    );
    assert.ok(await core.ports.categories.get("busy"), "the category was put back");
  });

  await t.step("two moves racing into a cycle: the one that sees it undoes itself", async () => {
    const core = await testCore();
    await core.useCases.createCategory({ slug: "a", name: "A" });
    await core.useCases.createCategory({ slug: "b", name: "B" });
    const categories = core.ports.categories;
    let reads = 0;
    const racing = {
      ...core.ports,
      categories: {
        get: (slug: string) => categories.get(slug),
        children: (slug: string) => categories.children(slug),
        create: (c: Parameters<typeof categories.create>[0]) => categories.create(c),
        replace: (c: Parameters<typeof categories.replace>[0]) => categories.replace(c),
        delete: (slug: string, v: number | null) => categories.delete(slug, v),
        all: async () => {
          const all = await categories.all();
          // After this move's check, another request moves b under a.
          if (++reads === 1) {
            const b = (await categories.get("b"))!;
            await categories.replace({ ...b, parent: "a", path: "a/b" });
          }
          return all;
        },
      },
    };
    await assert.rejects(updateCategory(racing, "a", { parent: "b" }), CategoryCycle);
    assert.equal((await categories.get("a"))!.parent, null, "the move was undone");
    assert.equal((await categories.get("b"))!.parent, "a");
  });
});
