import { migrate } from "../../migrations/migrate.ts";
import { jobLogContract, leasesContract } from "../../ports/contracts/leases_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresJobLog, PostgresLeases } from "./leases.ts";

const url = integrationUrl("DATABASE_URL");

leasesContract("PostgresLeases", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresLeases(db.sql), close: db.close };
}, { ignore: !url });

jobLogContract("PostgresJobLog", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresJobLog(db.sql), close: db.close };
}, { ignore: !url });
