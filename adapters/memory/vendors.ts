import type { Vendor } from "../../domain/vendors/vendor.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import { type Page, pageOf, type PageRequest } from "../../domain/pagination.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import type { Clock } from "../../ports/clock.ts";

/** Where vendor writes are reported (the in-memory change log's `append`). */
export interface VendorChangeSink {
  append(source: "vendor", id: string, at: Date): void;
}

export interface MemoryVendorsOptions {
  readonly changes?: VendorChangeSink;
  /** Stamps delete events; defaults to the system clock. */
  readonly clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };
const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Vendor profiles in memory, with the MongoDB adapter's version policy. */
export class MemoryVendors implements Vendors {
  readonly #byId = new Map<string, Vendor>();
  readonly #changes?: VendorChangeSink;
  readonly #clock: Clock;

  constructor(options: MemoryVendorsOptions = {}) {
    this.#changes = options.changes;
    this.#clock = options.clock ?? systemClock;
  }

  get(id: string): Promise<Vendor | null> {
    const found = this.#byId.get(id);
    return Promise.resolve(found ? structuredClone(found) : null);
  }

  getBySlug(slug: string): Promise<Vendor | null> {
    const found = [...this.#byId.values()].find((v) => v.slug === slug);
    return Promise.resolve(found ? structuredClone(found) : null);
  }

  list(page: PageRequest): Promise<Page<Vendor>> {
    const sorted = [...this.#byId.values()].sort((a, b) => order(a.slug, b.slug));
    const found = pageOf(sorted, page);
    return Promise.resolve({ ...found, items: found.items.map((v) => structuredClone(v)) });
  }

  async *all(): AsyncIterable<Vendor> {
    for (const id of [...this.#byId.keys()].sort(order)) {
      const vendor = this.#byId.get(id);
      if (vendor) yield await Promise.resolve(structuredClone(vendor));
    }
  }

  create(vendor: Vendor): Promise<Vendor> {
    if (this.#byId.has(vendor.id)) {
      return Promise.reject(new AlreadyExists("vendor", "id", vendor.id));
    }
    if (this.#slugTaken(vendor.slug, vendor.id)) {
      return Promise.reject(new AlreadyExists("vendor", "slug", vendor.slug));
    }
    const stored = structuredClone(vendor);
    this.#byId.set(stored.id, stored);
    this.#changes?.append("vendor", stored.id, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  replace(vendor: Vendor): Promise<Vendor> {
    const existing = this.#byId.get(vendor.id);
    if (!existing) return Promise.reject(new NotFound("vendor", vendor.id));
    if (existing.version !== vendor.version) {
      return Promise.reject(new VersionConflict("vendor", vendor.id, vendor.version));
    }
    if (this.#slugTaken(vendor.slug, vendor.id)) {
      return Promise.reject(new AlreadyExists("vendor", "slug", vendor.slug));
    }
    const stored: Vendor = { ...structuredClone(vendor), version: existing.version + 1 };
    this.#byId.set(stored.id, stored);
    this.#changes?.append("vendor", stored.id, stored.updatedAt);
    return Promise.resolve(structuredClone(stored));
  }

  delete(id: string, version: number | null): Promise<Vendor | null> {
    const existing = this.#byId.get(id);
    if (!existing) return Promise.resolve(null);
    if (version !== null && existing.version !== version) {
      return Promise.reject(new VersionConflict("vendor", id, version));
    }
    this.#byId.delete(id);
    this.#changes?.append("vendor", id, this.#clock.now());
    return Promise.resolve(structuredClone(existing));
  }

  #slugTaken(slug: string, id: string): boolean {
    for (const v of this.#byId.values()) if (v.slug === slug && v.id !== id) return true;
    return false;
  }
}
