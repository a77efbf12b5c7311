import { refundedChargesContract } from "../../ports/contracts/refunded_charges_contract.ts";
import { MemoryRefundedCharges } from "./refunded_charges.ts";

refundedChargesContract(
  "MemoryRefundedCharges",
  () => Promise.resolve({ subject: new MemoryRefundedCharges(), close: () => Promise.resolve() }),
);
