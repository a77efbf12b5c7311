import type { TaxableLine, TaxQuote } from "../../domain/tax/tax.ts";

/**
 * Computes the tax on a basket shipped to a place. The table-driven implementation reads
 * `TaxRates`; a tax provider could stand behind the same port later.
 */
export interface TaxCalculator {
  quote(input: {
    readonly country: string;
    readonly region: string | null;
    readonly lines: readonly TaxableLine[];
    readonly shippingCents: number;
  }): Promise<TaxQuote>;
}
