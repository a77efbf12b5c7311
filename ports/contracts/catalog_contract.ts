import assert from "node:assert/strict";
import type { Product, ProductQuery } from "../../domain/catalog/product.ts";
import type { PublicationStatus } from "../../domain/catalog/publication.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `Catalog` keeps. Version policy: `create` stores the product as given;
 * `replace` is optimistic: it succeeds only while the stored version equals the caller's, and
 * stores `version + 1` with the caller's `updatedAt`. Each step uses its own SKUs, slugs and category, so the suite may share a
 * database with other data.
 */
export function catalogContract(
  label: string,
  make: MakeFixture<Catalog>,
  options: ContractOptions = {},
): void {
  defineContract("Catalog", label, make, options, async (step) => {
    await step("create stores the product; get and getBySlug read it back", async (catalog) => {
      const p = product({
        attrs: { ramGb: 16, color: "black", touch: true, weight: 1.25 },
        variants: [{ sku: `V-${uid()}`, label: "16 GB", attrs: { ramGb: 16 }, retired: false }],
        tags: ["laptop", "business"],
        images: ["https://img.example/1.jpg"],
        publishedAt: null,
      });
      assert.deepEqual(await catalog.create(p), p);
      assert.deepEqual(await catalog.get(p.sku), p);
      assert.deepEqual(await catalog.getBySlug(p.slug), p);
      assert.equal(await catalog.get(`${p.sku}-missing`), null);
      assert.equal(await catalog.getBySlug(`${p.slug}-missing`), null);
    });

    await step("create refuses a taken SKU or slug with AlreadyExists", async (catalog) => {
      const p = await catalog.create(product());
      await assert.rejects(
        catalog.create(product({ sku: p.sku })),
        (e) => e instanceof AlreadyExists && e.field === "sku" && e.value === p.sku,
      );
      const other = product({ slug: p.slug });
      await assert.rejects(
        catalog.create(other),
        (e) => e instanceof AlreadyExists && e.field === "slug" && e.value === p.slug,
      );
      assert.equal(await catalog.get(other.sku), null);
      assert.deepEqual(await catalog.get(p.sku), p);
    });

    await step("replace bumps the version and moves the slug", async (catalog) => {
      const p = await catalog.create(product({ version: 1 }));
      const updatedAt = new Date("2025-06-01T12:00:00.000Z");
      const change = { ...p, name: "Renamed", slug: `${p.slug}-renamed`, updatedAt };
      const replaced = await catalog.replace(change);
      assert.deepEqual(replaced, { ...change, version: 2 });
      assert.deepEqual(await catalog.get(p.sku), replaced);
      assert.deepEqual(await catalog.getBySlug(change.slug), replaced);
      assert.equal(await catalog.getBySlug(p.slug), null, "the old slug is free");
      const again = await catalog.replace({ ...replaced, name: "Again" });
      assert.equal(again.version, 3);
      await assert.rejects(
        catalog.replace({ ...change, name: "Stale" }),
        (e) => e instanceof VersionConflict && e.id === p.sku && e.expected === 1,
        "a write based on version 1 cannot overwrite version 3",
      );
      assert.equal((await catalog.get(p.sku))?.name, "Again");
      const reuse = await catalog.create(product({ slug: p.slug }));
      assert.deepEqual(await catalog.getBySlug(p.slug), reuse);
    });

    await step("replace refuses an unknown SKU and a slug taken by another", async (catalog) => {
      const a = await catalog.create(product());
      const b = await catalog.create(product());
      const ghost = product();
      await assert.rejects(
        catalog.replace(ghost),
        (e) => e instanceof NotFound && e.id === ghost.sku,
      );
      assert.equal(await catalog.get(ghost.sku), null);
      await assert.rejects(
        catalog.replace({ ...b, slug: a.slug }),
        (e) => e instanceof AlreadyExists && e.field === "slug" && e.value === a.slug,
      );
      assert.deepEqual(await catalog.get(b.sku), b);
      assert.deepEqual(await catalog.getBySlug(a.slug), a);
    });

    await step("delete returns the product once, then null", async (catalog) => {
      const p = await catalog.create(product());
      assert.deepEqual(await catalog.delete(p.sku), p);
      assert.equal(await catalog.get(p.sku), null);
      assert.equal(await catalog.getBySlug(p.slug), null);
      assert.equal(await catalog.delete(p.sku), null);
      const again = await catalog.create(product({ sku: p.sku, slug: p.slug }));
      assert.deepEqual(await catalog.get(p.sku), again, "SKU and slug are free again");
    });

    await step("getMany returns the known SKUs and skips unknown ones", async (catalog) => {
      const a = await catalog.create(product());
      const b = await catalog.create(product());
      await catalog.create(product());
      const found = await catalog.getMany([b.sku, `${a.sku}-missing`, a.sku]);
      assert.deepEqual(bySku(found), bySku([a, b]));
      assert.deepEqual(await catalog.getMany([]), []);
    });

    await step("vendor copies round-trip; list filters by vendorId", async (catalog) => {
      const vendorId = `vendor-${uid()}`;
      const vendor = { id: vendorId, slug: `v-${uid()}`, name: "Weingut Example" };
      const mine = await catalog.create(product({ vendorId, vendor }));
      await catalog.create(product());
      assert.deepEqual(await catalog.get(mine.sku), mine);
      const found = await catalog.list({ vendorId, attrs: [], sort: "newest", page: 1, size: 10 });
      assert.deepEqual(found.items.map((p) => p.sku), [mine.sku]);
      assert.equal(found.total, 1);
    });

    await step("list filters by category, brand, tag and minimum rating", async (catalog) => {
      const category = uniqueCategory();
      const base = uid();
      const a = await catalog.create(product({
        sku: `${base}-a`,
        category,
        brand: "Acme",
        tags: ["sale", "new"],
        ratings: { avg: 4.5, count: 3 },
      }));
      const b = await catalog.create(product({
        sku: `${base}-b`,
        category,
        brand: "Bolt",
        tags: ["sale"],
        ratings: { avg: 3.9, count: 8 },
      }));
      const c = await catalog.create(product({
        sku: `${base}-c`,
        category,
        brand: "Acme",
        tags: [],
        ratings: { avg: 4, count: 1 },
      }));
      await catalog.create(product({ category: uniqueCategory(), brand: "Acme" }));
      const list = async (q: Partial<ProductQuery>) =>
        skus((await catalog.list(query({ category, sort: "price_asc", ...q }))).items);
      assert.deepEqual(await list({}), [a.sku, b.sku, c.sku]);
      assert.deepEqual(await list({ brand: "Acme" }), [a.sku, c.sku]);
      assert.deepEqual(await list({ brand: "acme" }), [], "brand is exact");
      assert.deepEqual(await list({ tag: "sale" }), [a.sku, b.sku]);
      assert.deepEqual(await list({ tag: "new", brand: "Acme" }), [a.sku]);
      assert.deepEqual(await list({ minRating: 4 }), [a.sku, c.sku], "minRating is inclusive");
      assert.deepEqual(await list({ minRating: 4.6 }), []);
    });

    await step(
      "list filters by attributes: number ops, string and boolean eq",
      async (catalog) => {
        const category = uniqueCategory();
        const base = uid();
        const make8 = product({
          sku: `${base}-08`,
          category,
          attrs: { ramGb: 8, color: "black", touch: false, weight: 1.1 },
        });
        const make16 = product({
          sku: `${base}-16`,
          category,
          attrs: { ramGb: 16, color: "silver", touch: true, weight: 1.5 },
        });
        const make32 = product({
          sku: `${base}-32`,
          category,
          attrs: { ramGb: 32, color: "black", touch: true },
        });
        const bare = product({ sku: `${base}-00`, category, attrs: {} });
        for (const p of [make8, make16, make32, bare]) await catalog.create(p);
        const list = async (attrs: ProductQuery["attrs"]) =>
          skus((await catalog.list(query({ category, attrs }))).items).sort();
        const [s8, s16, s32] = [make8.sku, make16.sku, make32.sku];
        assert.deepEqual(await list([{ name: "ramGb", op: "eq", value: 16 }]), [s16]);
        assert.deepEqual(await list([{ name: "ramGb", op: "gt", value: 16 }]), [s32]);
        assert.deepEqual(await list([{ name: "ramGb", op: "gte", value: 16 }]), [s16, s32]);
        assert.deepEqual(await list([{ name: "ramGb", op: "lt", value: 16 }]), [s8]);
        assert.deepEqual(await list([{ name: "ramGb", op: "lte", value: 16 }]), [s8, s16]);
        assert.deepEqual(await list([{ name: "weight", op: "lt", value: 1.2 }]), [s8]);
        assert.deepEqual(await list([{ name: "color", op: "eq", value: "black" }]), [s8, s32]);
        assert.deepEqual(await list([{ name: "touch", op: "eq", value: true }]), [s16, s32]);
        assert.deepEqual(await list([{ name: "touch", op: "eq", value: false }]), [s8]);
        assert.deepEqual(
          await list([{ name: "ramGb", op: "eq", value: "16" }]),
          [],
          "types must agree",
        );
        assert.deepEqual(await list([{ name: "missing", op: "eq", value: 1 }]), []);
        assert.deepEqual(
          await list([
            { name: "color", op: "eq", value: "black" },
            { name: "ramGb", op: "gte", value: 16 },
          ]),
          [s32],
          "filters combine with AND",
        );
      },
    );

    await step(
      "list sorts by rating, price both ways and newest; ties by SKU",
      async (catalog) => {
        const category = uniqueCategory();
        const base = uid();
        const at = (day: number) => new Date(Date.UTC(2025, 0, day));
        const p1 = product({
          sku: `${base}-1`,
          category,
          priceCents: 500,
          ratings: { avg: 4, count: 10 },
          publishedAt: at(3),
        });
        const p2 = product({
          sku: `${base}-2`,
          category,
          priceCents: 300,
          ratings: { avg: 4, count: 10 },
          publishedAt: at(1),
        });
        const p3 = product({
          sku: `${base}-3`,
          category,
          priceCents: 300,
          ratings: { avg: 4.5, count: 2 },
          publishedAt: null,
        });
        const p4 = product({
          sku: `${base}-4`,
          category,
          priceCents: 900,
          ratings: { avg: 4, count: 50 },
          publishedAt: at(2),
        });
        for (const p of [p4, p3, p2, p1]) await catalog.create(p);
        const sorted = async (sort: ProductQuery["sort"]) =>
          skus((await catalog.list(query({ category, sort }))).items);
        assert.deepEqual(await sorted("price_asc"), [p2.sku, p3.sku, p1.sku, p4.sku]);
        assert.deepEqual(await sorted("price_desc"), [p4.sku, p1.sku, p2.sku, p3.sku]);
        assert.deepEqual(await sorted("rating"), [p3.sku, p4.sku, p1.sku, p2.sku]);
        assert.deepEqual(await sorted("newest"), [p1.sku, p4.sku, p2.sku, p3.sku]);
      },
    );

    await step("list pages: total counts every match; past the end is empty", async (catalog) => {
      const category = uniqueCategory();
      const base = uid();
      const all = [1, 2, 3, 4, 5].map((i) => product({ sku: `${base}-${i}`, category }));
      for (const p of all) await catalog.create(p);
      const page = (n: number, size: number) => catalog.list(query({ category, page: n, size }));
      const second = await page(2, 2);
      assert.deepEqual([second.page, second.size, second.total], [2, 2, 5]);
      assert.deepEqual(second.items, [all[2], all[3]]);
      assert.deepEqual(skus((await page(1, 2)).items), [all[0].sku, all[1].sku]);
      assert.deepEqual(skus((await page(3, 2)).items), [all[4].sku]);
      const beyond = await page(4, 2);
      assert.deepEqual([beyond.items, beyond.total], [[], 5]);
    });

    await step(
      "list keeps one publication status at the given time: drafts, scheduled, published",
      async (catalog) => {
        const category = uniqueCategory();
        const base = uid();
        const now = new Date("2026-06-01T12:00:00.000Z");
        const draft = product({ sku: `${base}-draft`, category, publishedAt: null });
        const soon = product({
          sku: `${base}-soon`,
          category,
          publishedAt: new Date(now.getTime() + 1),
        });
        const exact = product({ sku: `${base}-exact`, category, publishedAt: now });
        const old = product({ sku: `${base}-old`, category });
        for (const p of [draft, soon, exact, old]) await catalog.create(p);
        const listed = async (status: PublicationStatus, at = now) => {
          const page = await catalog.list(query({ category, publication: { status, at } }));
          assert.equal(page.total, page.items.length);
          return skus(page.items).sort();
        };
        assert.deepEqual(await listed("published"), [exact.sku, old.sku].sort());
        assert.deepEqual(await listed("scheduled"), [soon.sku]);
        assert.deepEqual(await listed("draft"), [draft.sku]);
        assert.equal((await catalog.list(query({ category }))).total, 4, "no filter: all");
        // One millisecond later the scheduled product is published, with no write.
        const later = new Date(now.getTime() + 1);
        assert.deepEqual(await listed("published", later), [exact.sku, old.sku, soon.sku].sort());
        assert.deepEqual(await listed("scheduled", later), []);
        const newest = await catalog.list(
          query({ category, sort: "newest", publication: { status: "published", at: later } }),
        );
        assert.deepEqual(skus(newest.items), [soon.sku, exact.sku, old.sku]);
      },
    );

    await step(
      "list by category includes the subtree (breadcrumbs) and round-trips them",
      async (catalog) => {
        const root = uniqueCategory();
        const mid = uniqueCategory();
        const leaf = uniqueCategory();
        const crumbs = (...slugs: string[]) => slugs.map((slug) => ({ slug, name: `N ${slug}` }));
        const deep = await catalog.create(product({
          category: leaf,
          breadcrumbs: crumbs(root, mid, leaf),
          categoryPath: `${root}/${mid}/${leaf}`,
        }));
        assert.deepEqual(await catalog.get(deep.sku), deep);
        const direct = await catalog.create(product({
          category: root,
          breadcrumbs: crumbs(root),
          categoryPath: root,
        }));
        // Written before the tree existed: found by its own category only.
        const legacy = await catalog.create(product({ category: mid }));
        const other = await catalog.create(product({ category: uniqueCategory() }));
        const list = async (category: string) =>
          (await catalog.list(query({ category }))).items.map((p) => p.sku).sort();
        assert.deepEqual(await list(root), [deep.sku, direct.sku].sort());
        assert.deepEqual(await list(mid), [deep.sku, legacy.sku].sort());
        assert.deepEqual(await list(leaf), [deep.sku]);
        assert.ok(!(await list(root)).includes(other.sku));
      },
    );

    await step(
      "getByVariantSku finds the product of a variant, retired ones too; others are null",
      async (catalog) => {
        const live = `V-${uid()}`;
        const gone = `V-${uid()}`;
        const p = product({
          variants: [
            { sku: live, label: "L / Blue", attrs: { size: "L", color: "blue" }, retired: false },
            { sku: gone, label: "S / Red", attrs: { size: "S", color: "red" }, retired: true },
          ],
        });
        await catalog.create(p);
        assert.deepEqual(await catalog.getByVariantSku(live), p);
        assert.deepEqual(await catalog.getByVariantSku(gone), p);
        assert.equal(await catalog.getByVariantSku(p.sku), null);
        assert.equal(await catalog.getByVariantSku(`V-${uid()}`), null);
      },
    );

    await step(
      "list attribute filters match the product's attributes or a live variant's",
      async (catalog) => {
        const category = uniqueCategory();
        const variant = (size: string, color: string, retired = false) => ({
          sku: `V-${uid()}`,
          label: `${size} / ${color}`,
          attrs: { size, color },
          retired,
        });
        const tee = product({
          category,
          attrs: { material: "cotton" },
          variants: [variant("L", "blue"), variant("S", "red"), variant("XL", "green", true)],
        });
        const plain = product({ category, attrs: { size: "L", material: "wool" } });
        await catalog.create(tee);
        await catalog.create(plain);
        const found = async (...attrs: ProductQuery["attrs"]) =>
          skus((await catalog.list(query({ category, attrs }))).items).sort();
        const eq = (name: string, value: string) => ({ name, op: "eq" as const, value });
        assert.deepEqual(await found(eq("size", "L")), [plain.sku, tee.sku].sort());
        assert.deepEqual(await found(eq("color", "red")), [tee.sku]);
        assert.deepEqual(await found(eq("color", "blue"), eq("material", "cotton")), [tee.sku]);
        assert.deepEqual(await found(eq("size", "XL")), [], "a retired variant no longer matches");
        assert.deepEqual(await found(eq("material", "wool")), [plain.sku]);
      },
    );

    await step("all() yields every product in SKU order", async (catalog) => {
      const base = uid();
      const mine = ["c", "a", "d", "b"].map((s) => product({ sku: `${base}-${s}` }));
      for (const p of mine) await catalog.create(p);
      await catalog.delete(mine[2].sku);
      const seen: Product[] = [];
      let previous: string | null = null;
      for await (const p of catalog.all()) {
        if (previous !== null) assert.ok(previous < p.sku, `${previous} before ${p.sku}`);
        previous = p.sku;
        if (p.sku.startsWith(base)) seen.push(p);
      }
      assert.deepEqual(seen, bySku([mine[0], mine[1], mine[3]]));
    });
  });
}

function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

function uniqueCategory(): string {
  return `contract-${uid()}`;
}

function product(overrides: Partial<Product> = {}): Product {
  const sku = overrides.sku ?? `SKU-${uid()}`;
  return {
    sku,
    name: `Product ${sku}`,
    slug: `product-${sku.toLowerCase()}`,
    category: "contract",
    brand: "Acme",
    description: "A product made for the contract suite.",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    ratings: { avg: 0, count: 0 },
    priceCents: 1_000,
    currency: "USD",
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-02T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

function query(overrides: Partial<ProductQuery> = {}): ProductQuery {
  return { attrs: [], sort: "price_asc", page: 1, size: 50, ...overrides };
}

function skus(products: readonly Product[]): string[] {
  return products.map((p) => p.sku);
}

function bySku(products: readonly Product[]): Product[] {
  return [...products].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
