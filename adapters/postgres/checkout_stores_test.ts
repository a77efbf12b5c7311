import { migrate } from "../../migrations/migrate.ts";
import { addressBookContract } from "../../ports/contracts/address_book_contract.ts";
import { shippingRatesContract } from "../../ports/contracts/shipping_rates_contract.ts";
import { taxRatesContract } from "../../ports/contracts/tax_rates_contract.ts";
import { testUser } from "../../ports/contracts/users_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresAddressBook } from "./address_book.ts";
import { PostgresShippingRates } from "./shipping_rates.ts";
import { PostgresTaxRates } from "./tax_rates.ts";
import { PostgresUserStore } from "./users.ts";

const url = integrationUrl("DATABASE_URL");

addressBookContract("PostgresAddressBook", async () => {
  const db = await testDatabase(url!, migrate);
  const users = new PostgresUserStore(db.sql);
  return {
    subject: {
      book: new PostgresAddressBook(db.sql),
      newUser: async () => (await users.create(testUser())).id,
    },
    close: db.close,
  };
}, { ignore: !url });

shippingRatesContract("PostgresShippingRates", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresShippingRates(db.sql), close: db.close };
}, { ignore: !url });

taxRatesContract("PostgresTaxRates", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresTaxRates(db.sql), close: db.close };
}, { ignore: !url });
