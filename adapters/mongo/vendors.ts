import type { Collection, Db } from "mongodb";
import { z } from "zod";
import { deleteVersioned, throwMissOrConflict } from "./_versioned.ts";
import type { JsonObject, Vendor } from "../../domain/vendors/vendor.ts";
import { AlreadyExists } from "../../domain/errors.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import { offsetOf } from "../../domain/pagination.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import { isDuplicateKey, toDomainError } from "./_errors.ts";

export interface MongoVendorsOptions {
  /** Default `vendors`. */
  readonly collection?: string;
}

const Address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string(),
});

/** A `vendors` document: the vendor with `_id` = id (so change events name it). */
export const VendorDoc = z.object({
  _id: z.string(),
  id: z.string(),
  slug: z.string(),
  businessName: z.string(),
  description: z.string().default(""),
  contactInfo: z.object({
    email: z.string(),
    phone: z.string().optional(),
    website: z.string().optional(),
    address: Address,
  }),
  certifications: z.array(z.object({
    name: z.string(),
    issuer: z.string().optional(),
    validUntil: z.string().optional(),
  })),
  // Kept verbatim: whatever the vendor's trade needs (checked on the way in, see the domain).
  details: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number().int(),
});
type VendorDoc = z.infer<typeof VendorDoc>;

/** Optional members left out rather than stored as null (structuredClone drops undefined). */
function toDoc(v: Vendor): VendorDoc {
  const clean = JSON.parse(JSON.stringify({
    id: v.id,
    slug: v.slug,
    businessName: v.businessName,
    description: v.description,
    contactInfo: v.contactInfo,
    certifications: v.certifications,
    details: v.details,
  }));
  return {
    _id: v.id,
    ...clean,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    version: v.version,
  };
}

function fromDoc(raw: unknown): Vendor {
  const { _id: _ignored, details, ...vendor } = VendorDoc.parse(raw);
  return { ...vendor, details: details as JsonObject };
}

/**
 * `Vendors` on MongoDB: whole-document writes (insert, replace-if-version, delete-if-version),
 * a unique index on `slug`. Unreachable server: `DependencyUnavailable("mongodb")`.
 */
export class MongoVendors implements Vendors {
  readonly #vendors: Collection<VendorDoc>;
  #ready: Promise<void> | null = null;

  constructor(db: Db, options: MongoVendorsOptions = {}) {
    this.#vendors = db.collection<VendorDoc>(options.collection ?? "vendors");
  }

  ensureIndexes(): Promise<void> {
    this.#ready ??= this.#vendors.createIndexes([
      { key: { slug: 1 }, name: "slug_unique", unique: true },
    ]).then(() => {}).catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  get(id: string): Promise<Vendor | null> {
    return this.#run(async () => {
      const doc = await this.#vendors.findOne({ _id: { $eq: id } });
      return doc ? fromDoc(doc) : null;
    });
  }

  getBySlug(slug: string): Promise<Vendor | null> {
    return this.#run(async () => {
      const doc = await this.#vendors.findOne({ slug: { $eq: slug } });
      return doc ? fromDoc(doc) : null;
    });
  }

  list(page: PageRequest): Promise<Page<Vendor>> {
    return this.#run(async () => {
      const [docs, total] = await Promise.all([
        this.#vendors.find({}).sort({ slug: 1 }).skip(offsetOf(page)).limit(page.size).toArray(),
        this.#vendors.countDocuments({}),
      ]);
      return { items: docs.map(fromDoc), page: page.page, size: page.size, total };
    });
  }

  async *all(): AsyncIterable<Vendor> {
    try {
      await this.ensureIndexes();
      for await (const doc of this.#vendors.find({}).sort({ _id: 1 })) yield fromDoc(doc);
    } catch (error) {
      throw toDomainError(error);
    }
  }

  create(vendor: Vendor): Promise<Vendor> {
    return this.#run(async () => {
      const doc = toDoc(vendor);
      try {
        await this.#vendors.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw await this.#duplicate(vendor);
        throw error;
      }
      return fromDoc(doc);
    });
  }

  replace(vendor: Vendor): Promise<Vendor> {
    return this.#run(async () => {
      const { _id, ...replacement } = toDoc({ ...vendor, version: vendor.version + 1 });
      let matched: number;
      try {
        matched = (await this.#vendors.replaceOne(
          { _id: { $eq: _id }, version: { $eq: vendor.version } },
          replacement,
        )).matchedCount;
      } catch (error) {
        if (isDuplicateKey(error)) throw new AlreadyExists("vendor", "slug", vendor.slug);
        throw error;
      }
      if (matched === 0) {
        await throwMissOrConflict(this.#vendors, "vendor", vendor.id, vendor.version);
      }
      return fromDoc({ _id, ...replacement });
    });
  }

  delete(id: string, version: number | null): Promise<Vendor | null> {
    return this.#run(async () => {
      const doc = await deleteVersioned(this.#vendors, "vendor", id, version);
      return doc && fromDoc(doc);
    });
  }

  /** Which key a duplicate insert hit: the id when that exists, else the slug. */
  async #duplicate(vendor: Vendor): Promise<AlreadyExists> {
    const byId = await this.#vendors.countDocuments({ _id: { $eq: vendor.id } }, { limit: 1 });
    return byId > 0
      ? new AlreadyExists("vendor", "id", vendor.id)
      : new AlreadyExists("vendor", "slug", vendor.slug);
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.ensureIndexes();
      return await operation();
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
