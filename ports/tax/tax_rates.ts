import type { TaxRate } from "../../domain/tax/tax.ts";

/** A stored rate: one per (country, region), `region` null for the whole country. */
export interface StoredTaxRate extends TaxRate {
  readonly id: string;
}

/** The tax table (PostgreSQL in production). */
export interface TaxRates {
  /** Every rate, by country then region (the country-wide one first). */
  list(): Promise<StoredTaxRate[]>;
  /** The rates of one country (country-wide and per region). */
  forCountry(country: string): Promise<StoredTaxRate[]>;
  get(id: string): Promise<StoredTaxRate | null>;
  /** `AlreadyExists` when the id or the (country, region) pair is taken. */
  create(rate: StoredTaxRate): Promise<StoredTaxRate>;
  /** `NotFound` for an unknown id; `AlreadyExists` when it would collide with another rate. */
  replace(rate: StoredTaxRate): Promise<StoredTaxRate>;
  remove(id: string): Promise<boolean>;
}
