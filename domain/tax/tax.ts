/**
 * Tax, integer cents throughout: each line is taxed and rounded half up to the cent, then
 * the lines (and shipping, when taxed) are summed. Tax-inclusive prices hold their tax,
 * extracted as `round(gross * r / (1 + r))`; tax-exclusive prices get it added.
 */

/** A rate for a country, or for one region of it (`region` null: the whole country). */
export interface TaxRate {
  readonly country: string;
  readonly region: string | null;
  /** 1 basis point = 0.01 %; 1900 is 19 %. */
  readonly rateBasisPoints: number;
  /** Catalogue prices in this place already include the tax. */
  readonly pricesIncludeTax: boolean;
  readonly shippingTaxed: boolean;
}

export interface TaxableLine {
  readonly sku: string;
  readonly unitPriceCents: number;
  readonly qty: number;
}

export interface TaxedLine extends TaxableLine {
  readonly lineCents: number;
  readonly taxCents: number;
}

export interface TaxQuote {
  readonly lines: readonly TaxedLine[];
  readonly subtotalCents: number;
  readonly shippingCents: number;
  readonly shippingTaxCents: number;
  /** Lines' tax plus shipping's, each rounded before summing. */
  readonly taxCents: number;
  /** What the shopper pays: inclusive prices as shown, exclusive ones plus tax. */
  readonly totalCents: number;
}

const BASIS = 10_000n;

/** `round(n / d)` half up, for non-negative integers, exact at any size. */
function divideHalfUp(n: bigint, d: bigint): number {
  return Number((2n * n + d) / (2n * d));
}

/** Tax added on top of a tax-exclusive amount: `round(net * r)`. */
export function exclusiveTaxCents(netCents: number, rateBasisPoints: number): number {
  return divideHalfUp(BigInt(netCents) * BigInt(rateBasisPoints), BASIS);
}

/** Tax held in a tax-inclusive amount: `round(gross * r / (1 + r))`. */
export function inclusiveTaxCents(grossCents: number, rateBasisPoints: number): number {
  const bp = BigInt(rateBasisPoints);
  return divideHalfUp(BigInt(grossCents) * bp, BASIS + bp);
}

/** The tax on lines and shipping under `rate`; no rate for the place means no tax. */
export function quoteTax(input: {
  lines: readonly TaxableLine[];
  shippingCents: number;
  rate: TaxRate | null;
}): TaxQuote {
  const { rate, shippingCents } = input;
  const taxOf = (cents: number) =>
    rate === null
      ? 0
      : rate.pricesIncludeTax
      ? inclusiveTaxCents(cents, rate.rateBasisPoints)
      : exclusiveTaxCents(cents, rate.rateBasisPoints);
  const lines = input.lines.map((line) => {
    const lineCents = line.unitPriceCents * line.qty;
    return { ...line, lineCents, taxCents: taxOf(lineCents) };
  });
  const subtotalCents = lines.reduce((sum, l) => sum + l.lineCents, 0);
  const shippingTaxCents = rate?.shippingTaxed ? taxOf(shippingCents) : 0;
  const taxCents = lines.reduce((sum, l) => sum + l.taxCents, 0) + shippingTaxCents;
  const added = rate !== null && !rate.pricesIncludeTax ? taxCents : 0;
  return {
    lines,
    subtotalCents,
    shippingCents,
    shippingTaxCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + added,
  };
}

/** The most specific rate for a place: the region's, else the country's, else none. */
export function rateFor(
  rates: readonly TaxRate[],
  country: string,
  region: string | null,
): TaxRate | null {
  const inCountry = rates.filter((r) => r.country === country);
  return (region !== null && inCountry.find((r) => r.region === region)) ||
    inCountry.find((r) => r.region === null) || null;
}
