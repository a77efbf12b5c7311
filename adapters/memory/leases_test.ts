import { jobLogContract, leasesContract } from "../../ports/contracts/leases_contract.ts";
import { MemoryJobLog, MemoryLeases } from "./leases.ts";

const closed = () => Promise.resolve();

leasesContract(
  "MemoryLeases",
  () => Promise.resolve({ subject: new MemoryLeases(), close: closed }),
);
jobLogContract(
  "MemoryJobLog",
  () => Promise.resolve({ subject: new MemoryJobLog(), close: closed }),
);
