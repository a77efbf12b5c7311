/**
 * What the caller's cart costs delivered somewhere: the shipping options that apply and the
 * quote (subtotal, shipping, tax, total). Shoppers see it before ordering; the order
 * integration will charge the same computation.
 */
import { CurrencyMismatch, NotFound, ShippingUnavailable } from "../../domain/errors.ts";
import { optionsFor, type PricedShippingOption } from "../../domain/shipping/shipping.ts";
import type { TaxedLine } from "../../domain/tax/tax.ts";
import type { AddressBook } from "../../ports/identity/address_book.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";
import type { TaxCalculator } from "../../ports/tax/tax_calculator.ts";
import { type CartDeps, type CartRef, type CartView, getCart, ownerOf } from "../cart/cart.ts";

export interface QuoteDeps extends CartDeps {
  readonly addresses: AddressBook;
  readonly shipping: ShippingRates;
  readonly tax: TaxCalculator;
}

/** A country (and region) given outright, or one of the caller's addresses (users only). */
export type Destination =
  | { readonly country: string; readonly region?: string | null }
  | { readonly addressId: string };

export interface CartShippingOptions {
  readonly country: string;
  readonly currency: string;
  readonly subtotalCents: number;
  readonly options: readonly PricedShippingOption[];
}

export interface CartQuote {
  readonly country: string;
  readonly region: string | null;
  readonly currency: string;
  readonly shippingOptionId: string | null;
  readonly subtotalCents: number;
  readonly shippingCents: number;
  readonly shippingTaxCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
  readonly lines: readonly TaxedLine[];
}

async function place(
  deps: QuoteDeps,
  ref: CartRef,
  destination: Destination,
): Promise<{ country: string; region: string | null }> {
  if ("country" in destination) {
    return { country: destination.country, region: destination.region ?? null };
  }
  const owner = ownerOf(ref);
  // A guest has no address book: any address id names nothing of theirs.
  if (owner.kind === "guest") throw new NotFound("address", destination.addressId);
  const address = await deps.addresses.get(owner.id, destination.addressId);
  if (!address) throw new NotFound("address", destination.addressId);
  return { country: address.country, region: address.region };
}

async function applicable(
  deps: QuoteDeps,
  cart: CartView,
  country: string,
): Promise<PricedShippingOption[]> {
  const [zones, options] = await Promise.all([deps.shipping.zones(), deps.shipping.options()]);
  return optionsFor(zones, options, country, cart.totalCents)
    .filter((o) => o.currency === cart.currency);
}

export async function cartShippingOptions(
  deps: QuoteDeps,
  ref: CartRef,
  destination: Destination,
): Promise<CartShippingOptions> {
  const { country } = await place(deps, ref, destination);
  const cart = await getCart(deps, ref);
  return {
    country,
    currency: cart.currency,
    subtotalCents: cart.totalCents,
    options: await applicable(deps, cart, country),
  };
}

export async function cartQuote(
  deps: QuoteDeps,
  ref: CartRef,
  input: { destination: Destination; shippingOptionId?: string | null },
): Promise<CartQuote> {
  const { country, region } = await place(deps, ref, input.destination);
  const cart = await getCart(deps, ref);
  const optionId = input.shippingOptionId ?? null;
  let shippingCents = 0;
  if (optionId !== null) {
    const option = await deps.shipping.option(optionId);
    if (!option) throw new NotFound("shipping option", optionId);
    if (cart.items.length > 0 && option.currency !== cart.currency) {
      throw new CurrencyMismatch(optionId, cart.currency, option.currency);
    }
    const served = (await applicable(deps, { ...cart, currency: option.currency }, country))
      .find((o) => o.id === optionId);
    if (!served) throw new ShippingUnavailable(optionId, country);
    shippingCents = served.priceCents;
  }
  const quote = await deps.tax.quote({
    country,
    region,
    shippingCents,
    lines: cart.items.map((i) => ({ sku: i.sku, unitPriceCents: i.unitPriceCents, qty: i.qty })),
  });
  return {
    country,
    region,
    currency: cart.currency,
    shippingOptionId: optionId,
    ...quote,
  };
}
