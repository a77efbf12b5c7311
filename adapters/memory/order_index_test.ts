import { orderIndexContract } from "../../ports/contracts/order_index_contract.ts";
import { MemoryOrderIndex } from "./order_index.ts";

orderIndexContract(
  "MemoryOrderIndex",
  () => Promise.resolve({ subject: new MemoryOrderIndex(), close: () => Promise.resolve() }),
);
