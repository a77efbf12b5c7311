import { vendorsContract } from "../../ports/contracts/vendors_contract.ts";
import { MemoryVendors } from "./vendors.ts";

vendorsContract(
  "MemoryVendors",
  () => Promise.resolve({ subject: new MemoryVendors(), close: () => Promise.resolve() }),
);
