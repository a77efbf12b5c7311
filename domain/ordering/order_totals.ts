/**
 * What an order is placed under besides its lines: where it goes, who pays, how it ships and
 * at which tax rate, and the totals those give once the lines are priced. Every figure is
 * integer cents; tax is per line, rounded half up, then summed (`quoteTax`), exactly as the
 * cart quote computes it.
 */
import { CurrencyMismatch } from "../errors.ts";
import type { AddressFields } from "../identity/address.ts";
import { type ShippingOption, shippingPriceCents } from "../shipping/shipping.ts";
import { quoteTax, type TaxableLine, type TaxRate } from "../tax/tax.ts";

/** A postal address as the order snapshots it (no id, no defaults: later edits do not reach it). */
export type OrderAddress = Omit<AddressFields, "isDefaultShipping" | "isDefaultBilling">;

/** The shipping option as ordered: its price for this order, and that price's tax. */
export interface OrderShipping {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly taxCents: number;
}

/**
 * Resolved before the reservation (addresses, the option serving the address's country, the
 * tax rate of its country/region); applied to the lines as the store prices them.
 */
export interface OrderTerms {
  readonly shippingAddress: OrderAddress;
  readonly billingAddress: OrderAddress;
  readonly shippingOption: ShippingOption;
  /** null: no tax for the place. */
  readonly taxRate: TaxRate | null;
}

export interface OrderTotals {
  readonly subtotalCents: number;
  readonly shippingCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
  /** Catalogue prices (and so `subtotalCents`) already include `taxCents` of the lines. */
  readonly pricesIncludeTax: boolean;
  /** Each line's tax, in the lines' order. */
  readonly lineTaxCents: readonly number[];
  readonly shipping: OrderShipping;
}

/**
 * The totals of `lines` (priced in `currency`) under `terms`: shipping priced on the subtotal
 * (free-over threshold), tax per line and on shipping when the rate says so. Throws
 * `CurrencyMismatch` when the option is priced in another currency than the lines.
 */
export function orderTotals(
  lines: readonly TaxableLine[],
  currency: string,
  terms: OrderTerms,
): OrderTotals {
  const option = terms.shippingOption;
  if (option.currency !== currency) {
    throw new CurrencyMismatch(option.id, currency, option.currency);
  }
  const subtotal = lines.reduce((sum, l) => sum + l.unitPriceCents * l.qty, 0);
  const quote = quoteTax({
    lines,
    shippingCents: shippingPriceCents(option, subtotal),
    rate: terms.taxRate,
  });
  return {
    subtotalCents: quote.subtotalCents,
    shippingCents: quote.shippingCents,
    taxCents: quote.taxCents,
    totalCents: quote.totalCents,
    pricesIncludeTax: terms.taxRate?.pricesIncludeTax ?? false,
    lineTaxCents: quote.lines.map((l) => l.taxCents),
    shipping: {
      id: option.id,
      name: option.name,
      priceCents: quote.shippingCents,
      taxCents: quote.shippingTaxCents,
    },
  };
}

/** The snapshot of an address book entry or an inline address. */
export function orderAddressOf(address: OrderAddress): OrderAddress {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    region: address.region ?? null,
    postalCode: address.postalCode,
    country: address.country,
    phone: address.phone ?? null,
  };
}
