import assert from "node:assert/strict";
import type { ProductQuery } from "../../domain/catalog/product.ts";
import type { Vendor } from "../../domain/vendors/vendor.ts";
import { UnknownVendor, VendorHasProducts } from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";
import { createVendor, deleteVendor } from "./manage_vendors.ts";
import { createProduct } from "../catalog/manage_catalog.ts";

const input = {
  slug: "race-vendor",
  businessName: "Race Vendor",
  contactInfo: {
    email: "race@vendor.example",
    address: { line1: "1 Main St", city: "Porto", postalCode: "4000-001", country: "PT" },
  },
};

Deno.test("deleteVendor() puts the vendor back when a product named it meanwhile", async () => {
  const core = await testCore();
  const vendor = await createVendor(core.ports, input);
  let checks = 0;
  const racing = {
    ...core.ports,
    catalog: {
      ...core.ports.catalog,
      list: (q: ProductQuery) => {
        // The first check sees no product; one is assigned before the second.
        const total = q.vendorId === vendor.id && checks++ === 0 ? 0 : 1;
        return Promise.resolve({ items: [], page: 1, size: 1, total });
      },
    },
  };
  await assert.rejects(deleteVendor(racing, vendor.slug), VendorHasProducts);
  const restored = (await core.ports.vendors.get(vendor.id)) as Vendor;
  assert.equal(restored.slug, vendor.slug, "the vendor is back");
});

Deno.test("createProduct() is undone when its vendor was deleted meanwhile", async () => {
  const core = await testCore();
  const vendor = await createVendor(core.ports, input);
  let reads = 0;
  const racing = {
    ...core.ports,
    vendors: {
      ...core.ports.vendors,
      // The check finds the vendor; by the confirmation it is gone.
      get: async (id: string) => reads++ === 0 ? await core.ports.vendors.get(id) : null,
    },
  };
  await assert.rejects(
    createProduct(racing, {
      sku: "RACE-1",
      name: "Race Product",
      category: "testing",
      brand: "Polycart",
      description: "",
      images: [],
      attrs: {},
      variants: [],
      tags: [],
      priceCents: 100,
      stock: 1,
      vendorId: vendor.id,
    }),
    UnknownVendor,
  );
  assert.equal(await core.ports.catalog.get("RACE-1"), null);
  assert.equal((await core.ports.inventory.get("RACE-1"))?.active ?? false, false);
});
