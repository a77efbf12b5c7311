/**
 * The demo shipping zones, options and tax rates (`deno task dev` and `deno task seed`):
 * the US with a California rate, Germany with tax-inclusive prices, Great Britain. The
 * catalogue is priced in USD, so every option is too (a cart lists options in its currency).
 * Idempotent: fixed ids, and what exists is left alone.
 */
import { AlreadyExists } from "../../domain/errors.ts";
import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";
import type { StoredTaxRate, TaxRates } from "../../ports/tax/tax_rates.ts";

export const SEED_ZONES: readonly ShippingZone[] = [
  { id: "zone-us", name: "United States", countries: ["US"] },
  { id: "zone-eu", name: "European Union", countries: ["DE", "FR", "NL", "AT", "BE"] },
  { id: "zone-gb", name: "Great Britain", countries: ["GB"] },
];

const days = (min: number, max: number) => ({ min, max });

export const SEED_SHIPPING_OPTIONS: readonly ShippingOption[] = [
  {
    id: "ship-us-standard",
    zoneId: "zone-us",
    name: "Standard",
    priceCents: 599,
    currency: "USD",
    freeOverCents: 7_500,
    estimatedDays: days(3, 5),
  },
  {
    id: "ship-us-express",
    zoneId: "zone-us",
    name: "Express",
    priceCents: 1_999,
    currency: "USD",
    freeOverCents: null,
    estimatedDays: days(1, 2),
  },
  {
    id: "ship-eu-standard",
    zoneId: "zone-eu",
    name: "International standard",
    priceCents: 1_499,
    currency: "USD",
    freeOverCents: 15_000,
    estimatedDays: days(5, 9),
  },
  {
    id: "ship-gb-standard",
    zoneId: "zone-gb",
    name: "International standard",
    priceCents: 1_299,
    currency: "USD",
    freeOverCents: 15_000,
    estimatedDays: days(4, 8),
  },
];

export const SEED_TAX_RATES: readonly StoredTaxRate[] = [
  rate("tax-us", "US", null, 0, false, false),
  rate("tax-us-ca", "US", "CA", 725, false, false),
  rate("tax-us-ny", "US", "NY", 400, false, true),
  rate("tax-de", "DE", null, 1_900, true, true),
  rate("tax-gb", "GB", null, 2_000, true, true),
];

function rate(
  id: string,
  country: string,
  region: string | null,
  rateBasisPoints: number,
  pricesIncludeTax: boolean,
  shippingTaxed: boolean,
): StoredTaxRate {
  return { id, country, region, rateBasisPoints, pricesIncludeTax, shippingTaxed };
}

async function ignoreTaken(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
  }
}

export async function seedShippingAndTax(
  ports: { readonly shipping: ShippingRates; readonly taxRates: TaxRates },
): Promise<void> {
  for (const zone of SEED_ZONES) await ignoreTaken(ports.shipping.createZone(zone));
  for (const o of SEED_SHIPPING_OPTIONS) await ignoreTaken(ports.shipping.createOption(o));
  for (const r of SEED_TAX_RATES) await ignoreTaken(ports.taxRates.create(r));
}
