import assert from "node:assert/strict";
import type { VendorSearchDocument } from "../../domain/vendors/vendor.ts";
import type { VendorIndex } from "../vendors/vendor_index.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `VendorIndex` keeps, each step on a fresh index: every query word must
 * match some field (business name, slug, city, country, certifications, description) with
 * AUTO typo tolerance; an empty query lists every vendor by slug; writes are versioned and
 * removes win over older puts; `rebuild` replaces the contents.
 */
export function vendorIndexContract(
  label: string,
  make: MakeFixture<VendorIndex>,
  options: ContractOptions = {},
): void {
  defineContract("VendorIndex", label, make, options, async (step) => {
    const page = { page: 1, size: 20 };
    const slugs = async (index: VendorIndex, q: string) =>
      (await index.search(q, page)).items.map((h) => h.slug);

    await step("finds vendors by any field's words, with typos, every word required", async (x) => {
      await x.put(vdoc({ slug: "weingut-mueller", businessName: "Weingut Mueller" }));
      await x.put(vdoc({
        slug: "green-acres",
        businessName: "Green Acres Farm",
        city: "Portland",
        country: "US",
        certifications: ["USDA Organic"],
      }));
      assert.deepEqual(await slugs(x, "weingut"), ["weingut-mueller"]);
      assert.deepEqual(await slugs(x, "Wiengut"), ["weingut-mueller"], "a transposition");
      assert.deepEqual(await slugs(x, "muller"), ["weingut-mueller"], "one letter missing");
      assert.deepEqual(await slugs(x, "organic portland"), ["green-acres"]);
      assert.deepEqual(await slugs(x, "acres"), ["green-acres"]);
      assert.deepEqual(await slugs(x, "weingut portland"), [], "every word must match");
      const hit = (await x.search("green", page)).items[0];
      assert.deepEqual(hit, {
        id: "green-acres-id",
        slug: "green-acres",
        businessName: "Green Acres Farm",
        city: "Portland",
        country: "US",
      });
    });

    await step("an empty query lists every vendor by slug, paged", async (x) => {
      for (const slug of ["c-vendor", "a-vendor", "b-vendor"]) await x.put(vdoc({ slug }));
      const first = await x.search("", { page: 1, size: 2 });
      assert.equal(first.total, 3);
      assert.deepEqual(first.items.map((h) => h.slug), ["a-vendor", "b-vendor"]);
      assert.deepEqual(await slugs(x, ""), ["a-vendor", "b-vendor", "c-vendor"]);
    });

    await step("writes are versioned: older puts and removes are ignored", async (x) => {
      await x.put(vdoc({ slug: "acme", businessName: "Acme Renamed", version: 3 }));
      await x.put(vdoc({ slug: "acme", businessName: "Acme Old", version: 2 }));
      assert.deepEqual((await x.search("acme", page)).items.map((h) => h.businessName), [
        "Acme Renamed",
      ]);
      await x.remove("acme-id", 2);
      assert.deepEqual(await slugs(x, "acme"), ["acme"], "an older remove is ignored");
      await x.remove("acme-id", 4);
      assert.deepEqual(await slugs(x, "acme"), []);
      await x.put(vdoc({ slug: "acme", version: 4 }));
      assert.deepEqual(await slugs(x, "acme"), [], "the tombstone outlives equal versions");
    });

    await step("rebuild replaces the contents with the given documents", async (x) => {
      await x.put(vdoc({ slug: "stale-vendor" }));
      async function* docs() {
        yield vdoc({ slug: "fresh-one" });
        yield vdoc({ slug: "fresh-two" });
      }
      assert.deepEqual(await x.rebuild(docs()), { indexed: 2 });
      assert.deepEqual(await slugs(x, ""), ["fresh-one", "fresh-two"]);
      await x.put(vdoc({ slug: "after-rebuild" }));
      assert.deepEqual(await slugs(x, "after"), ["after-rebuild"]);
    });

    await step(
      "writes that arrive during a rebuild are kept, newer versions winning",
      async (x) => {
        async function* docs() {
          yield vdoc({ slug: "steady" });
          // Renamed while the rebuild runs; the rebuild read the old version.
          await x.put(vdoc({ slug: "moving", businessName: "Moving Renamed", version: 2 }));
          await x.put(vdoc({ slug: "arrived" }));
          yield vdoc({ slug: "moving", businessName: "Moving Old", version: 1 });
        }
        await x.rebuild(docs());
        assert.deepEqual(await slugs(x, ""), ["arrived", "moving", "steady"]);
        assert.deepEqual((await x.search("moving", page)).items.map((h) => h.businessName), [
          "Moving Renamed",
        ]);
      },
    );
  });
}

function vdoc(overrides: Partial<VendorSearchDocument> & { slug: string }): VendorSearchDocument {
  return {
    id: `${overrides.slug}-id`,
    businessName: overrides.slug.replaceAll("-", " "),
    description: "",
    city: "Berlin",
    country: "DE",
    certifications: [],
    version: 1,
    ...overrides,
  };
}
