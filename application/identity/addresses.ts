/** The caller's address book: every operation is scoped to the signed-in user. */
import { NotFound } from "../../domain/errors.ts";
import type { Address, AddressFields, AddressPatch } from "../../domain/identity/address.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { AddressBook } from "../../ports/identity/address_book.ts";

export interface AddressDeps {
  readonly addresses: AddressBook;
  readonly ids: IdGenerator;
}

export type NewAddressInput =
  & Pick<AddressFields, "name" | "line1" | "city" | "postalCode" | "country">
  & Partial<AddressFields>;

export function listAddresses(deps: AddressDeps, userId: string): Promise<Address[]> {
  return deps.addresses.list(userId);
}

export async function getAddress(deps: AddressDeps, userId: string, id: string): Promise<Address> {
  const found = await deps.addresses.get(userId, id);
  if (!found) throw new NotFound("address", id);
  return found;
}

export function addAddress(
  deps: AddressDeps,
  userId: string,
  input: NewAddressInput,
): Promise<Address> {
  return deps.addresses.add({
    line2: null,
    region: null,
    phone: null,
    isDefaultShipping: false,
    isDefaultBilling: false,
    ...input,
    id: deps.ids.id(),
    userId,
  });
}

export function updateAddress(
  deps: AddressDeps,
  userId: string,
  id: string,
  patch: AddressPatch,
): Promise<Address> {
  return deps.addresses.update(userId, id, patch);
}

export async function removeAddress(deps: AddressDeps, userId: string, id: string): Promise<void> {
  if (!(await deps.addresses.remove(userId, id))) throw new NotFound("address", id);
}
