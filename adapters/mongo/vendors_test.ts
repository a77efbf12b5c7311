import { vendorsContract } from "../../ports/contracts/vendors_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { MongoVendors } from "./vendors.ts";
import { openDatabase } from "./_test_fixture.ts";

const url = integrationUrl("MONGO_URL");

vendorsContract("MongoVendors", async () => {
  const { db, close } = await openDatabase(url!);
  return { subject: new MongoVendors(db), close };
}, { ignore: url === undefined });
