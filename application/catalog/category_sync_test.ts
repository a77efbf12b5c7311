import assert from "node:assert/strict";
import type { Product } from "../../domain/catalog/product.ts";
import { testCore } from "../../testing/core.ts";
import { applyCategoryChange } from "./category_sync.ts";

Deno.test("applyCategoryChange() ends on the newest tree", async (t) => {
  await t.step("a rename landing mid-pass is picked up by another round", async () => {
    const core = await testCore();
    const { catalog, categories } = core.ports;
    const audio = (await categories.get("audio"))!;
    await categories.replace({ ...audio, name: "Sound" });
    let renamedAgain = false;
    const racing = {
      ...core.ports,
      catalog: {
        get: (sku: string) => catalog.get(sku),
        getBySlug: (slug: string) => catalog.getBySlug(slug),
        getMany: (skus: readonly string[]) => catalog.getMany(skus),
        list: (q: Parameters<typeof catalog.list>[0]) => catalog.list(q),
        getByVariantSku: (sku: string) => catalog.getByVariantSku(sku),
        create: (p: Product) => catalog.create(p),
        delete: (sku: string) => catalog.delete(sku),
        all: () => catalog.all(),
        replace: async (p: Product) => {
          const stored = await catalog.replace(p);
          if (!renamedAgain) {
            // Another admin renames it again while this pass writes the old view.
            renamedAgain = true;
            const current = (await categories.get("audio"))!;
            await categories.replace({ ...current, name: "Sound & Audio" });
          }
          return stored;
        },
      },
    };
    const outcome = await applyCategoryChange(racing, "audio");
    assert.ok(outcome.products > 0);
    for (const sku of ["HDP-001", "HDP-002", "HDP-013"]) {
      const product = (await catalog.get(sku))!;
      assert.equal(product.breadcrumbs?.[1].name, "Sound & Audio", sku);
    }
  });

  await t.step("nothing to change writes nothing (idempotent)", async () => {
    const core = await testCore();
    const before = (await core.ports.catalog.get("LAP-001"))!;
    assert.deepEqual(await applyCategoryChange(core.ports, "electronics"), {
      paths: 0,
      products: 0,
    });
    assert.equal((await core.ports.catalog.get("LAP-001"))!.version, before.version);
    assert.deepEqual(await applyCategoryChange(core.ports, "deleted-long-ago"), {
      paths: 0,
      products: 0,
    });
  });
});
