/** The vendor use cases, bound to their ports. */
import type { PageRequest } from "../../domain/pagination.ts";
import type { Ports, Shared } from "../use_case_ports.ts";
import * as vendors from "./manage_vendors.ts";

export function bindVendors(p: Ports, { shopperInventory }: Shared) {
  return {
    getVendor: (slug: string) => vendors.getVendor(p, slug),
    listVendors: (page: PageRequest) => vendors.listVendors(p, page),
    vendorProducts: (slug: string, page: PageRequest) =>
      vendors.vendorProducts({ ...p, inventory: shopperInventory }, slug, page),
    searchVendors: (q: string, page: PageRequest) => vendors.searchVendors(p, q, page),
    createVendor: (input: vendors.NewVendorInput) => vendors.createVendor(p, input),
    updateVendor: (slug: string, patch: vendors.VendorPatch) =>
      vendors.updateVendor(p, slug, patch),
    deleteVendor: (slug: string) => vendors.deleteVendor(p, slug),
  };
}
