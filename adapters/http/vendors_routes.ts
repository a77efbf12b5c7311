/** Vendor profiles: public reads and search (`/vendors`), admin writes (`/admin/vendors`). */
import { Hono } from "hono";
import type { JsonObject, Vendor as DomainVendor, VendorHit } from "../../domain/vendors/vendor.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { pageJson, productJson } from "./_views.ts";
import { ProductPage } from "./schemas/catalog.ts";
import {
  CreateVendorRequest,
  UpdateVendorRequest,
  Vendor,
  VendorListQuery,
  VendorPage,
  VendorParams,
  VendorSearchPage,
  VendorSearchQuery,
} from "./schemas/vendors.ts";

const search = route({
  tag: "Vendors",
  summary: "Search vendors",
  description: "Every word must match the business name, slug, city, country, a " +
    "certification or the description; typos are tolerated (one edit in words of 3-5 " +
    "letters, two beyond). Served by the vendor search index, which follows the vendor " +
    "profiles through their change feed.",
  access: "public",
  query: VendorSearchQuery,
  success: { status: 200, description: "Matching vendors, best first.", schema: VendorSearchPage },
  problems: ["dependency_unavailable"],
});

const get = route({
  tag: "Vendors",
  summary: "One vendor's profile",
  access: "public",
  params: VendorParams,
  success: { status: 200, description: "The vendor.", schema: Vendor },
  problems: ["not_found", "dependency_unavailable"],
});

const products = route({
  tag: "Vendors",
  summary: "The vendor's products",
  description: "Products shoppers may see (published), newest first.",
  access: "public",
  params: VendorParams,
  query: VendorListQuery,
  success: { status: 200, description: "A page of products.", schema: ProductPage },
  problems: ["not_found", "dependency_unavailable"],
});

const list = route({
  tag: "Vendors",
  summary: "Every vendor, by slug",
  access: "admin",
  query: VendorListQuery,
  success: { status: 200, description: "A page of vendors.", schema: VendorPage },
  problems: ["dependency_unavailable"],
});

const create = route({
  tag: "Vendors",
  summary: "Create a vendor",
  description: "Known fields are checked strictly; `details` holds any other fields as JSON, " +
    "kept verbatim within its limits. A taken slug is 409 already_exists.",
  access: "admin",
  body: CreateVendorRequest,
  success: { status: 201, description: "The new vendor.", schema: Vendor },
  problems: ["already_exists", "invalid_vendor", "dependency_unavailable"],
});

const update = route({
  tag: "Vendors",
  summary: "Change a vendor",
  description: "Writes the vendor only. A new `businessName` or `slug` reaches its products " +
    "(their `vendor`) and search through the vendor change feed within the sync's lag.",
  access: "admin",
  params: VendorParams,
  body: UpdateVendorRequest,
  success: { status: 200, description: "The vendor after the change.", schema: Vendor },
  problems: [
    "not_found",
    "already_exists",
    "invalid_vendor",
    "version_conflict",
    "dependency_unavailable",
  ],
});

const remove = route({
  tag: "Vendors",
  summary: "Delete a vendor",
  description: "Refused with 409 vendor_has_products while any product (drafts included) " +
    "names it.",
  access: "admin",
  params: VendorParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found", "vendor_has_products", "version_conflict", "dependency_unavailable"],
});

export function vendorJson(v: DomainVendor) {
  return {
    id: v.id,
    slug: v.slug,
    businessName: v.businessName,
    description: v.description,
    contactInfo: structuredClone(v.contactInfo),
    certifications: v.certifications.map((c) => ({ ...c })),
    details: structuredClone(v.details) as Record<string, unknown>,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

function hitJson(h: VendorHit) {
  return { id: h.id, slug: h.slug, businessName: h.businessName, city: h.city, country: h.country };
}

export function vendorsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    // Before /:slug, which would otherwise take "search" for a slug.
    .get("/search", search.guard, async (c) => {
      const { q, page, size } = search.query(c);
      return c.json(pageJson(await useCases.searchVendors(q, { page, size }), hitJson), 200);
    })
    .get("/:slug", get.guard, async (c) => {
      return c.json(vendorJson(await useCases.getVendor(get.params(c).slug)), 200);
    })
    .get("/:slug/products", products.guard, async (c) => {
      const { slug } = products.params(c);
      const page = await useCases.vendorProducts(slug, products.query(c));
      return c.json(pageJson(page, productJson), 200);
    });
}

export function adminVendorsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", list.guard, async (c) => {
      return c.json(pageJson(await useCases.listVendors(list.query(c)), vendorJson), 200);
    })
    .post("/", create.guard, async (c) => {
      // A parsed JSON body holds only JSON values: `details` is JSON as given.
      const { details, ...input } = await create.body(c);
      const vendor = await useCases.createVendor({ ...input, details: details as JsonObject });
      return c.json(vendorJson(vendor), 201);
    })
    .patch("/:slug", update.guard, async (c) => {
      const { slug } = update.params(c);
      const { details, ...patch } = await update.body(c);
      const vendor = await useCases.updateVendor(slug, {
        ...patch,
        ...(details === undefined ? {} : { details: details as JsonObject }),
      });
      return c.json(vendorJson(vendor), 200);
    })
    .delete("/:slug", remove.guard, async (c) => {
      await useCases.deleteVendor(remove.params(c).slug);
      return c.body(null, 204);
    });
}
