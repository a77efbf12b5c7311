/**
 * A user's postal address book entry. At most one address per user is the default for
 * shipping and one for billing; the `AddressBook` port keeps that atomic.
 */

export interface AddressFields {
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly region: string | null;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2 (see domain/shipping/countries.ts). */
  readonly country: string;
  readonly phone: string | null;
  readonly isDefaultShipping: boolean;
  readonly isDefaultBilling: boolean;
}

export interface Address extends AddressFields {
  readonly id: string;
  readonly userId: string;
}

export type AddressPatch = Partial<AddressFields>;

/** `address` with `patch` applied (a pure merge; validation happens at the edge). */
export function patchAddress(address: Address, patch: AddressPatch): Address {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...address, ...defined };
}
