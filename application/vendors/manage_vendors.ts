/**
 * Vendor profiles: public reads (by slug, its visible products, typo-tolerant search) and the
 * admin writes. A write touches the vendor document in MongoDB only: the products' `vendor`
 * copies and the vendor index follow through the vendor change feed (vendor_sync.ts).
 *
 * No multi-document transactions, so "a vendor with products cannot be deleted" is checked,
 * the delete made, and checked again; a product assigned meanwhile puts the vendor back.
 */
import {
  type Certification,
  type ContactInfo,
  detailsProblems,
  type JsonObject,
  type Vendor,
  type VendorHit,
} from "../../domain/vendors/vendor.ts";
import { InvalidVendor, NotFound, VendorHasProducts } from "../../domain/errors.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import { bestEffort } from "../_best_effort.ts";
import { listProducts } from "../catalog/products.ts";

export interface VendorDeps {
  readonly vendors: Vendors;
  readonly vendorIndex: VendorIndex;
  readonly catalog: Catalog;
  readonly inventory: InventoryStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

export interface NewVendorInput {
  readonly slug: string;
  readonly businessName: string;
  readonly description?: string;
  readonly contactInfo: ContactInfo;
  readonly certifications?: readonly Certification[];
  readonly details?: JsonObject;
}

export type VendorPatch = Partial<NewVendorInput>;

function checkDetails(slug: string, details: JsonObject): void {
  const problems = detailsProblems(details);
  if (problems.length > 0) throw new InvalidVendor(slug, problems);
}

export async function getVendor(deps: Pick<VendorDeps, "vendors">, slug: string): Promise<Vendor> {
  const vendor = await deps.vendors.getBySlug(slug);
  if (!vendor) throw new NotFound("vendor", slug);
  return vendor;
}

export function listVendors(
  deps: Pick<VendorDeps, "vendors">,
  page: PageRequest,
): Promise<Page<Vendor>> {
  return deps.vendors.list(page);
}

/** The vendor's products shoppers may see (published at now), newest first. */
export async function vendorProducts(
  deps: VendorDeps,
  slug: string,
  page: PageRequest,
): Promise<Page<ProductView>> {
  const vendor = await getVendor(deps, slug);
  return listProducts(deps, { vendorId: vendor.id, attrs: [], sort: "newest", ...page });
}

export function searchVendors(
  deps: Pick<VendorDeps, "vendorIndex">,
  q: string,
  page: PageRequest,
): Promise<Page<VendorHit>> {
  return deps.vendorIndex.search(q.trim(), page);
}

/** `AlreadyExists` (field `slug`) for a taken slug; `InvalidVendor` for oversized details. */
export async function createVendor(deps: VendorDeps, input: NewVendorInput): Promise<Vendor> {
  const details = input.details ?? {};
  checkDetails(input.slug, details);
  const now = deps.clock.now();
  return await deps.vendors.create({
    id: deps.ids.id(),
    slug: input.slug,
    businessName: input.businessName,
    description: input.description ?? "",
    contactInfo: input.contactInfo,
    certifications: input.certifications ?? [],
    details,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

/**
 * Replaces the given fields (`contactInfo`, `certifications` and `details` whole). A new
 * `businessName` or `slug` reaches the vendor's products and search through the vendor feed.
 */
export async function updateVendor(
  deps: VendorDeps,
  slug: string,
  patch: VendorPatch,
): Promise<Vendor> {
  const before = await getVendor(deps, slug);
  if (patch.details !== undefined) checkDetails(slug, patch.details);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return await deps.vendors.replace({ ...before, ...defined, updatedAt: deps.clock.now() });
}

async function productCount(deps: Pick<VendorDeps, "catalog">, vendorId: string) {
  const found = await deps.catalog.list({ vendorId, attrs: [], sort: "newest", page: 1, size: 1 });
  return found.total;
}

/** Refused (`VendorHasProducts`) while any product (drafts included) names the vendor. */
export async function deleteVendor(deps: VendorDeps, slug: string): Promise<void> {
  const vendor = await getVendor(deps, slug);
  const before = await productCount(deps, vendor.id);
  if (before > 0) throw new VendorHasProducts(slug, before);
  const deleted = await deps.vendors.delete(vendor.id, vendor.version);
  if (!deleted) throw new NotFound("vendor", slug);
  // A product may have named it between the check and the delete: put the vendor back.
  const after = await productCount(deps, vendor.id);
  if (after > 0) {
    await bestEffort(deps.logger, `undo vendor delete of ${slug}`, async () => {
      await deps.vendors.create({ ...deleted, updatedAt: deps.clock.now() });
    });
    throw new VendorHasProducts(slug, after);
  }
}
