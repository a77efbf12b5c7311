import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import { type Address, type AddressPatch, patchAddress } from "../../domain/identity/address.ts";
import type { AddressBook } from "../../ports/identity/address_book.ts";

/** Addresses in a Map (insertion order is creation order); each call is atomic by construction. */
export class MemoryAddressBook implements AddressBook {
  readonly #rows = new Map<string, Address>();

  list(userId: string): Promise<Address[]> {
    return Promise.resolve([...this.#rows.values()].filter((a) => a.userId === userId));
  }

  get(userId: string, id: string): Promise<Address | null> {
    const found = this.#rows.get(id);
    return Promise.resolve(found && found.userId === userId ? found : null);
  }

  add(address: Address): Promise<Address> {
    if (this.#rows.has(address.id)) {
      return Promise.reject(new AlreadyExists("address", "id", address.id));
    }
    this.#clearDefaults(address);
    this.#rows.set(address.id, address);
    return Promise.resolve(address);
  }

  update(userId: string, id: string, patch: AddressPatch): Promise<Address> {
    const found = this.#rows.get(id);
    if (!found || found.userId !== userId) return Promise.reject(new NotFound("address", id));
    const next = patchAddress(found, patch);
    this.#clearDefaults(next);
    this.#rows.set(id, next);
    return Promise.resolve(next);
  }

  remove(userId: string, id: string): Promise<boolean> {
    const found = this.#rows.get(id);
    if (!found || found.userId !== userId) return Promise.resolve(false);
    return Promise.resolve(this.#rows.delete(id));
  }

  /** Clears the flags `address` takes from the user's other addresses. */
  #clearDefaults(address: Address): void {
    for (const other of this.#rows.values()) {
      if (other.userId !== address.userId || other.id === address.id) continue;
      const clearShipping = address.isDefaultShipping && other.isDefaultShipping;
      const clearBilling = address.isDefaultBilling && other.isDefaultBilling;
      if (!clearShipping && !clearBilling) continue;
      this.#rows.set(other.id, {
        ...other,
        isDefaultShipping: clearShipping ? false : other.isDefaultShipping,
        isDefaultBilling: clearBilling ? false : other.isDefaultBilling,
      });
    }
  }
}
