import { migrate } from "../../migrations/migrate.ts";
import { refundedChargesContract } from "../../ports/contracts/refunded_charges_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresRefundedCharges } from "./refunded_charges.ts";

const url = integrationUrl("DATABASE_URL");

refundedChargesContract("PostgresRefundedCharges", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresRefundedCharges(db.sql), close: db.close };
}, { ignore: !url });
