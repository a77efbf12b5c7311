import assert from "node:assert/strict";
import type { Vendor } from "../../domain/vendors/vendor.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Vendors } from "../vendors/vendors.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `Vendors` keeps: nested documents round-trip whole (optional members
 * left out stay out, `details` comes back exactly as given), slugs are unique, `replace` and
 * `delete` are optimistic. Each step uses its own ids and slugs.
 */
export function vendorsContract(
  label: string,
  make: MakeFixture<Vendors>,
  options: ContractOptions = {},
): void {
  defineContract("Vendors", label, make, options, async (step) => {
    await step("create stores the document whole; get and getBySlug read it back", async (s) => {
      const v = sampleVendor({
        details: {
          appellation: "Mosel",
          vineyards: [{ name: "Wehlener Sonnenuhr", hectares: 2.5, organic: true }],
          founded: 1887,
          tasting: null,
          nested: { deep: { deeper: ["a", 1, false] } },
        },
      });
      assert.deepEqual(await s.create(v), v);
      assert.deepEqual(await s.get(v.id), v);
      assert.deepEqual(await s.getBySlug(v.slug), v);
      assert.equal(await s.get(unique("missing")), null);
      assert.equal(await s.getBySlug(unique("missing")), null);
    });

    await step("create refuses a taken slug or id with AlreadyExists", async (s) => {
      const v = await s.create(sampleVendor());
      await assert.rejects(
        s.create(sampleVendor({ slug: v.slug })),
        (e) => e instanceof AlreadyExists && e.field === "slug" && e.value === v.slug,
      );
      await assert.rejects(
        s.create(sampleVendor({ id: v.id })),
        (e) => e instanceof AlreadyExists && e.field === "id",
      );
    });

    await step("replace is optimistic and keeps slugs unique", async (s) => {
      const a = await s.create(sampleVendor());
      const b = await s.create(sampleVendor());
      const renamed = await s.replace({ ...a, businessName: "Renamed GmbH" });
      assert.equal(renamed.version, a.version + 1);
      assert.deepEqual(await s.get(a.id), renamed);
      await assert.rejects(s.replace({ ...a, businessName: "Stale" }), VersionConflict);
      await assert.rejects(
        s.replace({ ...renamed, slug: b.slug }),
        (e) => e instanceof AlreadyExists && e.field === "slug",
      );
      await assert.rejects(s.replace(sampleVendor()), NotFound);
      const moved = await s.replace({ ...renamed, slug: unique("moved") });
      assert.deepEqual(await s.getBySlug(moved.slug), moved);
      assert.equal(await s.getBySlug(a.slug), null, "the old slug is free");
    });

    await step("delete is optimistic and answers what it deleted", async (s) => {
      const v = await s.create(sampleVendor());
      await assert.rejects(s.delete(v.id, v.version + 1), VersionConflict);
      assert.deepEqual(await s.delete(v.id, v.version), v);
      assert.equal(await s.get(v.id), null);
      assert.equal(await s.delete(v.id, null), null);
      // The slug is free again.
      await s.create(sampleVendor({ slug: v.slug }));
    });

    await step("list pages in slug order; all yields every vendor", async (s) => {
      const prefix = unique("list");
      const made = [];
      for (const n of ["c", "a", "b"]) {
        made.push(await s.create(sampleVendor({ slug: `${prefix}-${n}` })));
      }
      const listed: string[] = [];
      for (let page = 1;; page++) {
        const found = await s.list({ page, size: 2 });
        listed.push(...found.items.map((v) => v.slug));
        if (page * 2 >= found.total) break;
      }
      const mine = listed.filter((slug) => slug.startsWith(prefix));
      assert.deepEqual(mine, [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
      const ids = [];
      for await (const v of s.all()) ids.push(v.id);
      for (const v of made) assert.ok(ids.includes(v.id));
    });
  });
}

function unique(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

export function sampleVendor(overrides: Partial<Vendor> = {}): Vendor {
  const id = overrides.id ?? crypto.randomUUID();
  return {
    id,
    slug: unique("vendor"),
    businessName: "Weingut Example",
    description: "Riesling from steep slopes.",
    contactInfo: {
      email: "hello@weingut.example",
      address: { line1: "Uferallee 1", city: "Bernkastel", postalCode: "54470", country: "DE" },
    },
    certifications: [{ name: "EU Organic", issuer: "DE-ÖKO-039" }, { name: "Fair for Life" }],
    details: {},
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    updatedAt: new Date("2026-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}
