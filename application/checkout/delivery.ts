/**
 * The delivery terms of an order, resolved before its stock is reserved: the shipping and
 * billing addresses (the caller's own, or given inline), the shipping option (it must serve
 * the shipping address's country) and the tax rate of that country and region. The cart
 * quote checks an option the same way (`servingOption`).
 */
import { NotFound, ShippingUnavailable } from "../../domain/errors.ts";
import type { OrderAddress, OrderTerms } from "../../domain/ordering/order.ts";
import { orderAddressOf } from "../../domain/ordering/order_totals.ts";
import type { ShippingOption } from "../../domain/shipping/shipping.ts";
import { rateFor } from "../../domain/tax/tax.ts";
import type { AddressBook } from "../../ports/identity/address_book.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";
import type { TaxRates } from "../../ports/tax/tax_rates.ts";

export interface DeliveryDeps {
  readonly addresses: AddressBook;
  readonly shipping: ShippingRates;
  readonly taxRates: Pick<TaxRates, "forCountry">;
}

/** One of the caller's addresses by id, or an address given outright. */
export type AddressChoice = { readonly addressId: string } | { readonly address: OrderAddress };

export interface DeliveryInput {
  readonly shippingAddress: AddressChoice;
  /** Absent: the shipping address. */
  readonly billingAddress?: AddressChoice;
  readonly shippingOptionId: string;
}

async function addressOf(
  deps: DeliveryDeps,
  userId: string,
  choice: AddressChoice,
): Promise<OrderAddress> {
  if ("address" in choice) return orderAddressOf(choice.address);
  const found = await deps.addresses.get(userId, choice.addressId);
  if (!found) throw new NotFound("address", choice.addressId);
  return orderAddressOf(found);
}

/**
 * The option `optionId` when one of its zone's countries is `country`. Throws `NotFound`
 * ("shipping option") for an unknown option, `ShippingUnavailable` when it does not ship there.
 */
export async function servingOption(
  deps: Pick<DeliveryDeps, "shipping">,
  optionId: string,
  country: string,
): Promise<ShippingOption> {
  const found = await deps.shipping.optionWithZone(optionId);
  if (!found) throw new NotFound("shipping option", optionId);
  if (!found.zone.countries.includes(country)) throw new ShippingUnavailable(optionId, country);
  return found.option;
}

/**
 * The terms an order is placed under. Throws `NotFound` for an address that is not the
 * caller's or an unknown option, `ShippingUnavailable` for an option not serving the shipping
 * address's country. Prices are not read here: the order store prices the lines under the
 * reservation and applies these terms to exactly those prices (`buildOrder`).
 */
export async function resolveDelivery(
  deps: DeliveryDeps,
  userId: string,
  input: DeliveryInput,
): Promise<OrderTerms> {
  const shippingAddress = await addressOf(deps, userId, input.shippingAddress);
  const billingAddress = input.billingAddress
    ? await addressOf(deps, userId, input.billingAddress)
    : shippingAddress;
  const { country, region } = shippingAddress;
  const [shippingOption, rates] = await Promise.all([
    servingOption(deps, input.shippingOptionId, country),
    deps.taxRates.forCountry(country),
  ]);
  const rate = rateFor(rates, country, region);
  return {
    shippingAddress,
    billingAddress,
    shippingOption,
    taxRate: rate && {
      country: rate.country,
      region: rate.region,
      rateBasisPoints: rate.rateBasisPoints,
      pricesIncludeTax: rate.pricesIncludeTax,
      shippingTaxed: rate.shippingTaxed,
    },
  };
}
