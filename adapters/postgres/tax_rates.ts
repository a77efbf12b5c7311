import { z } from "zod";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { StoredTaxRate, TaxRates } from "../../ports/tax/tax_rates.ts";
import { int, isUniqueViolation, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const TaxRow = z.object({
  id: z.string(),
  country: z.string(),
  region: z.string().nullable(),
  rate_basis_points: int,
  prices_include_tax: z.boolean(),
  shipping_taxed: z.boolean(),
});

function toRate(row: unknown): StoredTaxRate {
  const r = parseRow(TaxRow, row, "tax_rates");
  return {
    id: r.id,
    country: r.country,
    region: r.region,
    rateBasisPoints: r.rate_basis_points,
    pricesIncludeTax: r.prices_include_tax,
    shippingTaxed: r.shipping_taxed,
  };
}

const ORDER = `ORDER BY country, region COLLATE "C" NULLS FIRST`;

/** The tax table in `tax_rates`, one row per (country, region). */
export class PostgresTaxRates implements TaxRates {
  constructor(private readonly sql: Sql) {}

  async list(): Promise<StoredTaxRate[]> {
    return (await this.sql.unsafe(`SELECT * FROM tax_rates ${ORDER}`)).map(toRate);
  }

  async forCountry(country: string): Promise<StoredTaxRate[]> {
    // Prepared: every checkout and quote sends it, and an unnamed statement is planned anew.
    const rows = await this.sql.unsafe(
      `SELECT * FROM tax_rates WHERE country = $1 ${ORDER}`,
      [country],
      { prepare: true },
    );
    return rows.map(toRate);
  }

  async get(id: string): Promise<StoredTaxRate | null> {
    const [row] = await this.sql`SELECT * FROM tax_rates WHERE id = ${id}`;
    return row ? toRate(row) : null;
  }

  async create(rate: StoredTaxRate): Promise<StoredTaxRate> {
    try {
      await this.sql`
        INSERT INTO tax_rates (id, country, region, rate_basis_points, prices_include_tax,
          shipping_taxed)
        VALUES (${rate.id}, ${rate.country}, ${rate.region}, ${rate.rateBasisPoints},
          ${rate.pricesIncludeTax}, ${rate.shippingTaxed})`;
      return rate;
    } catch (error) {
      throw this.#collision(error, rate);
    }
  }

  async replace(rate: StoredTaxRate): Promise<StoredTaxRate> {
    let rows;
    try {
      rows = await this.sql`
        UPDATE tax_rates SET country = ${rate.country}, region = ${rate.region},
          rate_basis_points = ${rate.rateBasisPoints},
          prices_include_tax = ${rate.pricesIncludeTax}, shipping_taxed = ${rate.shippingTaxed}
        WHERE id = ${rate.id} RETURNING id`;
    } catch (error) {
      throw this.#collision(error, rate);
    }
    if (rows.length === 0) throw new NotFound("tax rate", rate.id);
    return rate;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.sql`DELETE FROM tax_rates WHERE id = ${id} RETURNING id`).length > 0;
  }

  #collision(error: unknown, rate: StoredTaxRate): unknown {
    if (isUniqueViolation(error, "tax_rates_pkey")) {
      return new AlreadyExists("tax rate", "id", rate.id);
    }
    if (isUniqueViolation(error, "tax_rates_place_key")) {
      return new AlreadyExists("tax rate", "place", `${rate.country}/${rate.region ?? ""}`);
    }
    return error;
  }
}
