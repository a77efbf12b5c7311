import { processedEventsContract } from "../../ports/contracts/processed_events_contract.ts";
import { MemoryProcessedEvents } from "./processed_events.ts";

processedEventsContract(
  "MemoryProcessedEvents",
  () => Promise.resolve({ subject: new MemoryProcessedEvents(), close: () => Promise.resolve() }),
);
