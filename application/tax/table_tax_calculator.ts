import { quoteTax, rateFor, type TaxQuote } from "../../domain/tax/tax.ts";
import type { TaxCalculator } from "../../ports/tax/tax_calculator.ts";
import type { TaxRates } from "../../ports/tax/tax_rates.ts";

/** Tax from the rate table: the region's rate, else the country's, else none. */
export class TableTaxCalculator implements TaxCalculator {
  constructor(private readonly rates: Pick<TaxRates, "forCountry">) {}

  async quote(input: Parameters<TaxCalculator["quote"]>[0]): Promise<TaxQuote> {
    const rate = rateFor(await this.rates.forCountry(input.country), input.country, input.region);
    return quoteTax({ lines: input.lines, shippingCents: input.shippingCents, rate });
  }
}
