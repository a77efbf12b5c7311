import { idempotencyStoreContract } from "../../ports/contracts/idempotency_store_contract.ts";
import { MemoryIdempotencyStore } from "./idempotency_store.ts";

idempotencyStoreContract("MemoryIdempotencyStore", () =>
  Promise.resolve({
    subject: { idempotency: new MemoryIdempotencyStore() },
    close: () => Promise.resolve(),
  }));
