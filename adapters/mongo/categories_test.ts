import { categoriesContract } from "../../ports/contracts/categories_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { MongoCategories } from "./categories.ts";
import { openDatabase } from "./_test_fixture.ts";

const url = integrationUrl("MONGO_URL");

categoriesContract("MongoCategories", async () => {
  const { db, close } = await openDatabase(url!);
  return { subject: new MongoCategories(db), close };
}, { ignore: url === undefined });
