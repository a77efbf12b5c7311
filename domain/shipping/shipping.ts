/**
 * Shipping: zones (sets of countries) and the options each offers, at a flat price that
 * drops to zero from an optional free-over threshold on the cart subtotal.
 */

export interface ShippingZone {
  readonly id: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 codes. */
  readonly countries: readonly string[];
}

export interface ShippingOption {
  readonly id: string;
  readonly zoneId: string;
  readonly name: string;
  readonly priceCents: number;
  readonly currency: string;
  /** A cart subtotal at or above this ships free; null: never free. */
  readonly freeOverCents: number | null;
  readonly estimatedDays: { readonly min: number; readonly max: number };
}

/** An option as it applies to one cart: `priceCents` after the threshold. */
export interface PricedShippingOption extends ShippingOption {
  readonly listPriceCents: number;
}

export function shippingPriceCents(option: ShippingOption, subtotalCents: number): number {
  return option.freeOverCents !== null && subtotalCents >= option.freeOverCents
    ? 0
    : option.priceCents;
}

/** Every option of every zone serving `country`, priced for `subtotalCents`. */
export function optionsFor(
  zones: readonly ShippingZone[],
  options: readonly ShippingOption[],
  country: string,
  subtotalCents: number,
): PricedShippingOption[] {
  const serving = new Set(zones.filter((z) => z.countries.includes(country)).map((z) => z.id));
  return options.filter((o) => serving.has(o.zoneId)).map((o) => ({
    ...o,
    listPriceCents: o.priceCents,
    priceCents: shippingPriceCents(o, subtotalCents),
  }));
}
