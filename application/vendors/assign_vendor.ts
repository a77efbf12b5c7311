/**
 * What a product takes from its vendor when it is written: the vendor must exist, and the
 * product carries its id and a `{id, slug, name}` copy (the vendor sync keeps it in step).
 */
import { type VendorSummary, vendorSummary } from "../../domain/vendors/vendor.ts";
import { UnknownVendor } from "../../domain/errors.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";

/** The product fields for `vendorId` (none when absent); `UnknownVendor` when it names none. */
export async function vendorOf(
  vendors: Vendors | undefined,
  vendorId: string | undefined,
): Promise<{ vendorId?: string; vendor?: VendorSummary }> {
  if (vendorId === undefined) return {};
  const vendor = await vendors?.get(vendorId);
  if (!vendor) throw new UnknownVendor(vendorId);
  return { vendorId, vendor: vendorSummary(vendor) };
}

/**
 * After a product write: the vendor may have been deleted between the check and the write (no
 * transaction spans both). Throws `UnknownVendor` then, so the caller undoes its write.
 */
export async function confirmVendor(
  vendors: Vendors | undefined,
  vendorId: string | undefined,
): Promise<void> {
  if (vendorId === undefined) return;
  if (!(await vendors?.get(vendorId))) throw new UnknownVendor(vendorId);
}
