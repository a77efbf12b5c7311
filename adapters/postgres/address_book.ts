import { z } from "zod";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import { type Address, type AddressPatch, patchAddress } from "../../domain/identity/address.ts";
import type { AddressBook } from "../../ports/identity/address_book.ts";
import { type Db, isUniqueViolation, parseRow, transaction, type Tx } from "./_db.ts";
import type { Sql } from "./connect.ts";

const AddressRow = z.object({
  id: z.string(),
  user_id: z.string(),
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postal_code: z.string(),
  country: z.string(),
  phone: z.string().nullable(),
  is_default_shipping: z.boolean(),
  is_default_billing: z.boolean(),
});

function toAddress(row: unknown): Address {
  const r = parseRow(AddressRow, row, "addresses");
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    line1: r.line1,
    line2: r.line2,
    city: r.city,
    region: r.region,
    postalCode: r.postal_code,
    country: r.country,
    phone: r.phone,
    isDefaultShipping: r.is_default_shipping,
    isDefaultBilling: r.is_default_billing,
  };
}

const COLUMNS = "id, user_id, name, line1, line2, city, region, postal_code, country, phone, " +
  "is_default_shipping, is_default_billing";

/**
 * Addresses in `addresses`. A write that sets a default locks the user's row first, so two
 * concurrent writers for one user queue up; it then clears the other address's flag and
 * stores its own in the same transaction. Partial unique indexes back the rule.
 */
export class PostgresAddressBook implements AddressBook {
  constructor(private readonly sql: Sql) {}

  async list(userId: string): Promise<Address[]> {
    const rows = await this.sql.unsafe(
      `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY seq`,
      [userId],
    );
    return rows.map(toAddress);
  }

  get(userId: string, id: string): Promise<Address | null> {
    return this.#find(this.sql, userId, id, false);
  }

  async add(address: Address): Promise<Address> {
    try {
      return await transaction(this.sql, async (tx) => {
        await this.#lockUser(tx, address.userId);
        await this.#clearDefaults(tx, address);
        await tx`
          INSERT INTO addresses (id, user_id, name, line1, line2, city, region, postal_code,
            country, phone, is_default_shipping, is_default_billing)
          VALUES (${address.id}, ${address.userId}, ${address.name}, ${address.line1},
            ${address.line2}, ${address.city}, ${address.region}, ${address.postalCode},
            ${address.country}, ${address.phone}, ${address.isDefaultShipping},
            ${address.isDefaultBilling})`;
        return address;
      });
    } catch (error) {
      if (isUniqueViolation(error, "addresses_pkey")) {
        throw new AlreadyExists("address", "id", address.id);
      }
      throw error;
    }
  }

  update(userId: string, id: string, patch: AddressPatch): Promise<Address> {
    return transaction(this.sql, async (tx) => {
      await this.#lockUser(tx, userId);
      const found = await this.#find(tx, userId, id, true);
      if (!found) throw new NotFound("address", id);
      const next = patchAddress(found, patch);
      await this.#clearDefaults(tx, next);
      await tx`
        UPDATE addresses SET name = ${next.name}, line1 = ${next.line1}, line2 = ${next.line2},
          city = ${next.city}, region = ${next.region}, postal_code = ${next.postalCode},
          country = ${next.country}, phone = ${next.phone},
          is_default_shipping = ${next.isDefaultShipping},
          is_default_billing = ${next.isDefaultBilling}
        WHERE id = ${id} AND user_id = ${userId}`;
      return next;
    });
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const rows = await this.sql`
      DELETE FROM addresses WHERE id = ${id} AND user_id = ${userId} RETURNING id`;
    return rows.length > 0;
  }

  async #find(db: Db, userId: string, id: string, lock: boolean): Promise<Address | null> {
    const rows = await db.unsafe(
      `SELECT ${COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2${lock ? " FOR UPDATE" : ""}`,
      [id, userId],
    );
    return rows.length ? toAddress(rows[0]) : null;
  }

  /** Serialises one user's address writes (a missing user is left to the foreign key). */
  async #lockUser(tx: Tx, userId: string): Promise<void> {
    await tx`SELECT 1 FROM users WHERE id = ${userId} FOR UPDATE`;
  }

  async #clearDefaults(tx: Tx, address: Address): Promise<void> {
    if (address.isDefaultShipping) {
      await tx`
        UPDATE addresses SET is_default_shipping = false
        WHERE user_id = ${address.userId} AND is_default_shipping AND id <> ${address.id}`;
    }
    if (address.isDefaultBilling) {
      await tx`
        UPDATE addresses SET is_default_billing = false
        WHERE user_id = ${address.userId} AND is_default_billing AND id <> ${address.id}`;
    }
  }
}
