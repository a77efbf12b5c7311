import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { StoredTaxRate, TaxRates } from "../../ports/tax/tax_rates.ts";

const place = (r: StoredTaxRate) => `${r.country}/${r.region ?? ""}`;

/** The tax table in a Map. */
export class MemoryTaxRates implements TaxRates {
  readonly #rows = new Map<string, StoredTaxRate>();

  list(): Promise<StoredTaxRate[]> {
    return Promise.resolve([...this.#rows.values()].sort((a, b) => {
      if (a.country !== b.country) return a.country < b.country ? -1 : 1;
      if (a.region === b.region) return 0;
      if (a.region === null) return -1;
      if (b.region === null) return 1;
      return a.region < b.region ? -1 : 1;
    }));
  }

  async forCountry(country: string): Promise<StoredTaxRate[]> {
    return (await this.list()).filter((r) => r.country === country);
  }

  get(id: string): Promise<StoredTaxRate | null> {
    return Promise.resolve(this.#rows.get(id) ?? null);
  }

  create(rate: StoredTaxRate): Promise<StoredTaxRate> {
    if (this.#rows.has(rate.id)) {
      return Promise.reject(new AlreadyExists("tax rate", "id", rate.id));
    }
    return this.#store(rate);
  }

  replace(rate: StoredTaxRate): Promise<StoredTaxRate> {
    if (!this.#rows.has(rate.id)) return Promise.reject(new NotFound("tax rate", rate.id));
    return this.#store(rate);
  }

  remove(id: string): Promise<boolean> {
    return Promise.resolve(this.#rows.delete(id));
  }

  #store(rate: StoredTaxRate): Promise<StoredTaxRate> {
    for (const other of this.#rows.values()) {
      if (other.id !== rate.id && place(other) === place(rate)) {
        return Promise.reject(new AlreadyExists("tax rate", "place", place(rate)));
      }
    }
    this.#rows.set(rate.id, rate);
    return Promise.resolve(rate);
  }
}
