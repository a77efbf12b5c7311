/** The checkout use cases (a cart's shipping options and its quote), bound to their ports. */
import type { CartRef } from "../cart/cart.ts";
import { cartDepsOf } from "../cart/bind.ts";
import { TableTaxCalculator } from "../tax/table_tax_calculator.ts";
import type { Ports, Shared } from "../use_case_ports.ts";
import { cartQuote, cartShippingOptions, type Destination } from "./cart_quote.ts";

export function bindCheckout(p: Ports, shared: Shared) {
  const quoteDeps = {
    ...cartDepsOf(p, shared),
    addresses: p.addresses,
    shipping: p.shipping,
    tax: p.taxCalculator ?? new TableTaxCalculator(p.taxRates),
  };
  return {
    cartShippingOptions: (ref: CartRef, destination: Destination) =>
      cartShippingOptions(quoteDeps, ref, destination),
    cartQuote: (
      ref: CartRef,
      input: { destination: Destination; shippingOptionId?: string | null },
    ) => cartQuote(quoteDeps, ref, input),
  };
}
