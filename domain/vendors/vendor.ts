/**
 * Vendor profiles (MongoDB owns them): flexible, nested documents. The known fields are typed
 * and checked; `details` holds whatever else a vendor's trade needs (an organic farm's
 * certifying body, a winery's appellation, a repair shop's brands), kept exactly as given
 * within the limits below. Products carry a copy of `vendorSummary` (the vendor sync keeps it).
 */
import type { FieldProblem } from "../errors.ts";

export interface VendorAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export interface ContactInfo {
  readonly email: string;
  readonly phone?: string;
  readonly website?: string;
  readonly address: VendorAddress;
}

export interface Certification {
  readonly name: string;
  readonly issuer?: string;
  /** ISO date (`2027-06-30`). */
  readonly validUntil?: string;
}

/** JSON as stored and answered: the `details` of a vendor. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface Vendor {
  readonly id: string;
  readonly slug: string;
  readonly businessName: string;
  readonly description: string;
  readonly contactInfo: ContactInfo;
  readonly certifications: readonly Certification[];
  /** Category-specific fields, kept verbatim (see `detailsProblems` for the limits). */
  readonly details: JsonObject;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Increments on every write; orders the vendor index and the products' copies. */
  readonly version: number;
}

/** What a product carries of its vendor. */
export interface VendorSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export const VENDOR_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Limits on `details`: small enough for one MongoDB document and one search request. */
export const DETAILS_LIMITS = { maxBytes: 16_384, maxDepth: 8, maxKeys: 200 } as const;

export function vendorSummary(v: Pick<Vendor, "id" | "slug" | "businessName">): VendorSummary {
  return { id: v.id, slug: v.slug, name: v.businessName };
}

export function sameSummary(a: VendorSummary | undefined, b: VendorSummary | undefined): boolean {
  return a?.id === b?.id && a?.slug === b?.slug && a?.name === b?.name;
}

/**
 * Why `details` cannot be stored as given, per field: over `maxBytes` of JSON, nested deeper
 * than `maxDepth`, more than `maxKeys` keys in all, or a key MongoDB reads as an operator or
 * a path (`$...`, containing `.` or NUL, empty).
 */
export function detailsProblems(details: JsonObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bytes = new TextEncoder().encode(JSON.stringify(details)).length;
  if (bytes > DETAILS_LIMITS.maxBytes) {
    problems.push({
      path: "details",
      message: `details must be at most ${DETAILS_LIMITS.maxBytes} bytes of JSON (got ${bytes})`,
    });
  }
  let keys = 0;
  const walk = (value: JsonValue, path: string, depth: number) => {
    if (value === null || typeof value !== "object") return;
    if (depth > DETAILS_LIMITS.maxDepth) {
      problems.push({
        path,
        message: `${path} nests deeper than ${DETAILS_LIMITS.maxDepth} levels`,
      });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [key, v] of Object.entries(value as JsonObject)) {
      keys++;
      if (key === "" || key.startsWith("$") || key.includes(".") || key.includes("\u0000")) {
        problems.push({
          path: `${path}.${key}`,
          message: `${path} key "${key}" must be non-empty, not start with $, hold no . or NUL`,
        });
      }
      walk(v, `${path}.${key}`, depth + 1);
    }
  };
  walk(details, "details", 1);
  if (keys > DETAILS_LIMITS.maxKeys) {
    problems.push({
      path: "details",
      message: `details may hold at most ${DETAILS_LIMITS.maxKeys} keys (got ${keys})`,
    });
  }
  return problems;
}

/** What the vendor index holds for one vendor (derived; fed by the vendor change stream). */
export interface VendorSearchDocument {
  readonly id: string;
  readonly slug: string;
  readonly businessName: string;
  readonly description: string;
  readonly city: string;
  readonly country: string;
  readonly certifications: readonly string[];
  readonly version: number;
}

export function toVendorSearchDocument(v: Vendor): VendorSearchDocument {
  return {
    id: v.id,
    slug: v.slug,
    businessName: v.businessName,
    description: v.description,
    city: v.contactInfo.address.city,
    country: v.contactInfo.address.country,
    certifications: v.certifications.map((c) => c.name),
    version: v.version,
  };
}

export interface VendorHit {
  readonly id: string;
  readonly slug: string;
  readonly businessName: string;
  readonly city: string;
  readonly country: string;
}
