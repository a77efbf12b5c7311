import { vendorIndexContract } from "../../ports/contracts/vendor_index_contract.ts";
import { MemoryVendorIndex } from "./vendor_index.ts";

vendorIndexContract(
  "MemoryVendorIndex",
  () => Promise.resolve({ subject: new MemoryVendorIndex(), close: () => Promise.resolve() }),
);
