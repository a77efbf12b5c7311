import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";

const byKeys = <T>(...keys: ((x: T) => string | number)[]) => (a: T, b: T) => {
  for (const key of keys) {
    const [x, y] = [key(a), key(b)];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

/** Zones and options in Maps. */
export class MemoryShippingRates implements ShippingRates {
  readonly #zones = new Map<string, ShippingZone>();
  readonly #options = new Map<string, ShippingOption>();

  zones(): Promise<ShippingZone[]> {
    return Promise.resolve(
      [...this.#zones.values()].sort(byKeys((z) => z.name, (z) => z.id)),
    );
  }

  zone(id: string): Promise<ShippingZone | null> {
    return Promise.resolve(this.#zones.get(id) ?? null);
  }

  createZone(zone: ShippingZone): Promise<ShippingZone> {
    if (this.#zones.has(zone.id)) {
      return Promise.reject(new AlreadyExists("shipping zone", "id", zone.id));
    }
    this.#zones.set(zone.id, zone);
    return Promise.resolve(zone);
  }

  replaceZone(zone: ShippingZone): Promise<ShippingZone> {
    if (!this.#zones.has(zone.id)) return Promise.reject(new NotFound("shipping zone", zone.id));
    this.#zones.set(zone.id, zone);
    return Promise.resolve(zone);
  }

  deleteZone(id: string): Promise<boolean> {
    for (const o of [...this.#options.values()]) if (o.zoneId === id) this.#options.delete(o.id);
    return Promise.resolve(this.#zones.delete(id));
  }

  options(): Promise<ShippingOption[]> {
    return Promise.resolve(
      [...this.#options.values()].sort(
        byKeys((o) => o.zoneId, (o) => o.priceCents, (o) => o.id),
      ),
    );
  }

  option(id: string): Promise<ShippingOption | null> {
    return Promise.resolve(this.#options.get(id) ?? null);
  }

  optionWithZone(id: string): Promise<{ option: ShippingOption; zone: ShippingZone } | null> {
    const option = this.#options.get(id);
    const zone = option && this.#zones.get(option.zoneId);
    return Promise.resolve(option && zone ? { option, zone } : null);
  }

  createOption(option: ShippingOption): Promise<ShippingOption> {
    if (!this.#zones.has(option.zoneId)) {
      return Promise.reject(new NotFound("shipping zone", option.zoneId));
    }
    if (this.#options.has(option.id)) {
      return Promise.reject(new AlreadyExists("shipping option", "id", option.id));
    }
    this.#options.set(option.id, option);
    return Promise.resolve(option);
  }

  replaceOption(option: ShippingOption): Promise<ShippingOption> {
    if (!this.#options.has(option.id)) {
      return Promise.reject(new NotFound("shipping option", option.id));
    }
    if (!this.#zones.has(option.zoneId)) {
      return Promise.reject(new NotFound("shipping zone", option.zoneId));
    }
    this.#options.set(option.id, option);
    return Promise.resolve(option);
  }

  deleteOption(id: string): Promise<boolean> {
    return Promise.resolve(this.#options.delete(id));
  }
}
