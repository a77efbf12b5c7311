import assert from "node:assert/strict";
import { migrate } from "../../migrations/migrate.ts";
import { addressBookContract } from "../../ports/contracts/address_book_contract.ts";
import { shippingRatesContract } from "../../ports/contracts/shipping_rates_contract.ts";
import { taxRatesContract } from "../../ports/contracts/tax_rates_contract.ts";
import { testUser } from "../../ports/contracts/users_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { isUniqueViolation } from "./_db.ts";
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

Deno.test({
  name: "addresses: the partial unique indexes refuse a second default whatever the writer",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const db = await testDatabase(url!, migrate);
    try {
      const user = await new PostgresUserStore(db.sql).create(testUser());
      const insert = (id: string, shipping: boolean, billing: boolean) =>
        db.sql`
          INSERT INTO addresses (id, user_id, name, line1, city, postal_code, country,
            is_default_shipping, is_default_billing)
          VALUES (${id}, ${user.id}, 'A', '1 Main St', 'Town', '1000', 'DE', ${shipping},
            ${billing})`;
      await insert("a", true, true);
      await t.step("a second default shipping row", async () => {
        await assert.rejects(
          insert("b", true, false),
          (e: Error) => isUniqueViolation(e, "addresses_default_shipping_key"),
        );
      });
      await t.step("a second default billing row", async () => {
        await assert.rejects(
          insert("c", false, true),
          (e: Error) => isUniqueViolation(e, "addresses_default_billing_key"),
        );
      });
      await t.step("any number of non-default rows", async () => {
        await insert("d", false, false);
        await insert("e", false, false);
      });
      await t.step("a country outside [A-Z]{2} is refused by the table too", async () => {
        await assert.rejects(
          db.sql`INSERT INTO addresses (id, user_id, name, line1, city, postal_code, country)
            VALUES ('f', ${user.id}, 'A', 'x', 'y', 'z', 'de')`,
        );
      });
    } finally {
      await db.close();
    }
  },
});
