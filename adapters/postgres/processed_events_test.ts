import { migrate } from "../../migrations/migrate.ts";
import { processedEventsContract } from "../../ports/contracts/processed_events_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresProcessedEvents } from "./processed_events.ts";

const url = integrationUrl("DATABASE_URL");

processedEventsContract("PostgresProcessedEvents", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresProcessedEvents(db.sql), close: db.close };
}, { ignore: !url });
