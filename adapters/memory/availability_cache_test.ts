import { availabilityCacheContract } from "../../ports/contracts/availability_cache_contract.ts";
import { SystemClock } from "../system/clock.ts";
import { MemoryAvailabilityCache } from "./availability_cache.ts";

availabilityCacheContract(
  "MemoryAvailabilityCache",
  () =>
    Promise.resolve({
      subject: new MemoryAvailabilityCache(new SystemClock()),
      close: () => Promise.resolve(),
    }),
);
