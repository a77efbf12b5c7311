import assert from "node:assert/strict";
import type { Category } from "../../domain/catalog/category.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Categories } from "../catalog/categories.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `Categories` keeps: documents round-trip whole (attribute definitions
 * with their optional unit and values), slugs are unique, `replace` and `delete` are
 * optimistic. Each step uses its own slugs, so the suite may share a database.
 */
export function categoriesContract(
  label: string,
  make: MakeFixture<Categories>,
  options: ContractOptions = {},
): void {
  defineContract("Categories", label, make, options, async (step) => {
    await step("create stores the category; get, all and children read it back", async (store) => {
      const root = category({ slug: unique("root") });
      const child = category({
        slug: unique("child"),
        parent: root.slug,
        path: `${root.slug}/x`,
        attributes: [
          { name: "ram_gb", type: "number", unit: "GB", required: true, facet: true },
          { name: "size", type: "enum", values: ["S", "M"], required: false, facet: true },
          { name: "wireless", type: "boolean", required: false, facet: false },
        ],
      });
      assert.deepEqual(await store.create(root), root);
      assert.deepEqual(await store.create(child), child);
      assert.deepEqual(await store.get(child.slug), child);
      assert.equal(await store.get(unique("missing")), null);
      const all = await store.all();
      assert.deepEqual(
        all.filter((c) => c.slug === root.slug || c.slug === child.slug),
        [
          root,
          child,
        ].sort((a, b) => (a.slug < b.slug ? -1 : 1)),
      );
      assert.deepEqual(await store.children(root.slug), [child.slug]);
      assert.deepEqual(await store.children(child.slug), []);
    });

    await step("create refuses a taken slug with AlreadyExists", async (store) => {
      const c = await store.create(category({ slug: unique("taken") }));
      await assert.rejects(
        store.create(category({ slug: c.slug, name: "Other" })),
        (e) => e instanceof AlreadyExists && e.field === "slug" && e.value === c.slug,
      );
      assert.equal((await store.get(c.slug))?.name, c.name);
    });

    await step("replace bumps the version and refuses a stale one", async (store) => {
      const c = await store.create(category({ slug: unique("rep") }));
      const updatedAt = new Date("2026-02-01T00:00:00.000Z");
      const renamed = await store.replace({ ...c, name: "Renamed", parent: null, updatedAt });
      assert.deepEqual(renamed, { ...c, name: "Renamed", updatedAt, version: c.version + 1 });
      assert.deepEqual(await store.get(c.slug), renamed);
      await assert.rejects(
        store.replace({ ...c, name: "Stale" }),
        (e) => e instanceof VersionConflict && e.id === c.slug,
      );
      await assert.rejects(
        store.replace(category({ slug: unique("ghost") })),
        (e) => e instanceof NotFound,
      );
    });

    await step("delete removes one version; a stale version is a conflict", async (store) => {
      const c = await store.create(category({ slug: unique("del") }));
      await assert.rejects(
        store.delete(c.slug, c.version + 5),
        (e) => e instanceof VersionConflict,
      );
      assert.deepEqual(await store.delete(c.slug, c.version), c);
      assert.equal(await store.get(c.slug), null);
      assert.equal(await store.delete(c.slug, null), null);
      const d = await store.create(category({ slug: unique("del") }));
      assert.deepEqual(await store.delete(d.slug, null), d);
    });
  });
}

function unique(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

function category(overrides: Partial<Category> = {}): Category {
  const slug = overrides.slug ?? unique("cat");
  return {
    slug,
    name: `Category ${slug}`,
    parent: null,
    path: slug,
    attributes: [],
    updatedAt: new Date("2026-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}
