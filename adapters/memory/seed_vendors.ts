/**
 * The demo vendors and which seeded products they sell (by category; monitors stay the shop's
 * own). Used by the in-memory seed (`deno task dev`) and `deno task seed`. Fixed ids, so a
 * second seed run finds them and the request examples can name them.
 */
import type { Product } from "../../domain/catalog/product.ts";
import { type Vendor, vendorSummary } from "../../domain/vendors/vendor.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";

type SeedVendor = Omit<Vendor, "createdAt" | "updatedAt" | "version">;

export const SEED_VENDORS: readonly SeedVendor[] = [
  {
    id: "vnd-northwind",
    slug: "northwind-computing",
    businessName: "Northwind Computing",
    description: "Business laptops, configured and tested in Seattle.",
    contactInfo: {
      email: "sales@northwind.example",
      phone: "+1 206 555 0100",
      website: "https://northwind.example",
      address: {
        line1: "400 Pine St",
        city: "Seattle",
        region: "WA",
        postalCode: "98101",
        country: "US",
      },
    },
    certifications: [{ name: "ISO 9001", issuer: "BSI", validUntil: "2027-12-31" }],
    details: { warrantyYears: 3, repairCenters: ["Seattle", "Austin"], onsiteService: true },
  },
  {
    id: "vnd-soundwave",
    slug: "soundwave-mobile",
    businessName: "Soundwave Mobile",
    description: "Phones and headphones, unlocked.",
    contactInfo: {
      email: "hello@soundwave.example",
      address: { line1: "12 Rue de la Paix", city: "Paris", postalCode: "75002", country: "FR" },
    },
    certifications: [{ name: "CE" }, { name: "WEEE compliant", issuer: "ADEME" }],
    details: { returnsDays: 30, refurbished: false },
  },
  {
    id: "vnd-trailhead",
    slug: "trailhead-outfitters",
    businessName: "Trailhead Outfitters",
    description: "Shoes and shirts for the trail, organic cotton where it counts.",
    contactInfo: {
      email: "team@trailhead.example",
      website: "https://trailhead.example",
      address: {
        line1: "88 Canyon Rd",
        city: "Boulder",
        region: "CO",
        postalCode: "80302",
        country: "US",
      },
    },
    certifications: [
      { name: "GOTS Organic", issuer: "Control Union", validUntil: "2027-03-31" },
      { name: "Fair Trade", issuer: "Fair Trade USA" },
    ],
    details: { materials: { cotton: "organic", rubber: "recycled" }, sizeGuide: "US" },
  },
  {
    id: "vnd-inkwell",
    slug: "inkwell-books",
    businessName: "Inkwell Books",
    description: "An independent bookshop shipping worldwide.",
    contactInfo: {
      email: "orders@inkwell.example",
      address: { line1: "3 Cecil Ct", city: "London", postalCode: "WC2N 4EZ", country: "GB" },
    },
    certifications: [],
    details: { signedCopies: true, genres: ["software", "history"] },
  },
];

const BY_CATEGORY: Readonly<Record<string, string>> = {
  laptops: "vnd-northwind",
  phones: "vnd-soundwave",
  headphones: "vnd-soundwave",
  shoes: "vnd-trailhead",
  "t-shirts": "vnd-trailhead",
  books: "vnd-inkwell",
};

export function seedVendor(v: SeedVendor, now: Date): Vendor {
  return { ...v, createdAt: now, updatedAt: now, version: 1 };
}

/** The seed vendor selling a seed product, by its category; undefined: the shop itself. */
export function seedVendorIdOf(product: Pick<Product, "category">): string | undefined {
  return BY_CATEGORY[product.category];
}

/** Stores the demo vendors (skipping existing ids) and returns the products assigned to them. */
export async function seedVendors(
  vendors: Vendors,
  products: readonly Product[],
  now: Date,
): Promise<Product[]> {
  const stored = new Map<string, Vendor>();
  for (const v of SEED_VENDORS) {
    stored.set(v.id, (await vendors.get(v.id)) ?? await vendors.create(seedVendor(v, now)));
  }
  return products.map((p) => {
    const vendor = stored.get(seedVendorIdOf(p) ?? "");
    return vendor ? { ...p, vendorId: vendor.id, vendor: vendorSummary(vendor) } : p;
  });
}
