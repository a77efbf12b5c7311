import type { Address, AddressPatch } from "../../domain/identity/address.ts";

/**
 * Each user's addresses (PostgreSQL in production). Everything is scoped to the owner: an
 * address of another user is absent (null, `NotFound`), never revealed. At most one address
 * per user is the default shipping one and one the default billing one: storing an address
 * flagged default clears the flag on the user's other address in the same atomic step.
 */
export interface AddressBook {
  /** The user's addresses, oldest first. */
  list(userId: string): Promise<Address[]>;
  get(userId: string, id: string): Promise<Address | null>;
  /** Stores a new address; `AlreadyExists` for a taken id. */
  add(address: Address): Promise<Address>;
  /** Applies `patch`; `NotFound` when the user has no such address. */
  update(userId: string, id: string, patch: AddressPatch): Promise<Address>;
  /** True when the user had the address. */
  remove(userId: string, id: string): Promise<boolean>;
}
