import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";

/**
 * Shipping zones and their options (PostgreSQL in production). An option belongs to one
 * zone; deleting a zone deletes its options. Ids are the caller's.
 */
export interface ShippingRates {
  /** Every zone, by name then id. */
  zones(): Promise<ShippingZone[]>;
  zone(id: string): Promise<ShippingZone | null>;
  /** `AlreadyExists` for a taken id. */
  createZone(zone: ShippingZone): Promise<ShippingZone>;
  /** `NotFound` for an unknown zone. */
  replaceZone(zone: ShippingZone): Promise<ShippingZone>;
  /** Deletes the zone and its options; true when there was one. */
  deleteZone(id: string): Promise<boolean>;
  /** Every option, by zone then price then id. */
  options(): Promise<ShippingOption[]>;
  option(id: string): Promise<ShippingOption | null>;
  /** The option and its zone, read together (checkout asks which countries it serves). */
  optionWithZone(id: string): Promise<{ option: ShippingOption; zone: ShippingZone } | null>;
  /** `NotFound` ("shipping zone") for an unknown zone, `AlreadyExists` for a taken id. */
  createOption(option: ShippingOption): Promise<ShippingOption>;
  /** `NotFound` for an unknown option or zone. */
  replaceOption(option: ShippingOption): Promise<ShippingOption>;
  deleteOption(id: string): Promise<boolean>;
}
