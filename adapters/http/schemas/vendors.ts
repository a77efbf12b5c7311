/**
 * Request and response shapes of the vendor routes (conventions in _common.ts). The known
 * fields are strict; `details` is free-form JSON kept verbatim, within the domain's limits
 * (`DETAILS_LIMITS`: 16 KiB of JSON, 8 levels, 200 keys, no `$`-prefixed or dotted keys).
 */
import { z } from "zod";
import { DETAILS_LIMITS, VENDOR_SLUG } from "../../../domain/vendors/vendor.ts";
import { doc, isoDateTime, Label, pageOf, PageQuery } from "./_common.ts";

export const VendorSlug = doc(z.string().regex(VENDOR_SLUG).max(100), {
  description: "A vendor's slug: lower-case words joined by `-`, unique.",
  examples: ["northwind-computing"],
});

export const VendorParams = z.object({ slug: VendorSlug });

/** `search` would be shadowed by `GET /vendors/search`. */
const NewSlug = VendorSlug.refine((s) => s !== "search", {
  message: "slug search is reserved (GET /vendors/search)",
});

const addressFields = {
  line1: Label(200),
  line2: Label(200).optional(),
  city: Label(100),
  region: Label(100).optional(),
  postalCode: Label(20),
  country: z.string().regex(/^[A-Z]{2}$/).describe("ISO 3166-1 alpha-2 country code."),
};

const contactFields = {
  email: z.email().max(254),
  phone: Label(40).optional(),
  website: z.url({ protocol: /^https?$/, error: "website must be an http or https URL" })
    .max(2_000).optional(),
};

const certificationFields = {
  name: Label(100),
  issuer: Label(100).optional(),
  validUntil: z.iso.date().optional().describe("ISO date the certificate lapses."),
};

const ContactInfoInput = z.strictObject({
  ...contactFields,
  address: z.strictObject(addressFields),
});

const Details = doc(
  z.record(z.string().max(100), z.unknown()).refine(
    (d) => JSON.stringify(d).length <= DETAILS_LIMITS.maxBytes,
    { message: `details must be at most ${DETAILS_LIMITS.maxBytes} bytes of JSON` },
  ),
  {
    description: "Category-specific fields, any JSON object, stored and answered exactly as " +
      `given: at most ${DETAILS_LIMITS.maxBytes} bytes, ${DETAILS_LIMITS.maxDepth} levels ` +
      `deep and ${DETAILS_LIMITS.maxKeys} keys; keys must not start with \`$\` or hold \`.\` ` +
      "(400 invalid_vendor names the field).",
    examples: [{ warrantyYears: 3, repairCenters: ["Seattle", "Austin"] }],
  },
);

const vendorFields = {
  businessName: Label(200),
  description: z.string().max(5_000),
  contactInfo: ContactInfoInput,
  certifications: z.array(z.strictObject(certificationFields)).max(50),
  details: Details,
};

export const CreateVendorRequest = doc(
  z.strictObject({
    slug: NewSlug,
    ...vendorFields,
    description: vendorFields.description.default(""),
    certifications: vendorFields.certifications.default([]),
    details: Details.default({}),
  }),
  { id: "CreateVendorRequest", description: "A vendor profile." },
);

export const UpdateVendorRequest = doc(
  z.strictObject({
    slug: NewSlug.optional(),
    businessName: vendorFields.businessName.optional(),
    description: vendorFields.description.optional(),
    contactInfo: ContactInfoInput.optional(),
    certifications: vendorFields.certifications.optional(),
    details: Details.optional(),
  }).refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "change at least one field",
  }),
  {
    id: "UpdateVendorRequest",
    description: "Any subset; `contactInfo`, `certifications` and `details` are replaced whole.",
  },
);

export const Vendor = doc(
  z.object({
    id: z.string(),
    slug: z.string(),
    businessName: z.string(),
    description: z.string(),
    contactInfo: z.object({
      email: z.string(),
      phone: z.string().optional(),
      website: z.string().optional(),
      address: z.object({
        line1: z.string(),
        line2: z.string().optional(),
        city: z.string(),
        region: z.string().optional(),
        postalCode: z.string(),
        country: z.string(),
      }),
    }),
    certifications: z.array(z.object({
      name: z.string(),
      issuer: z.string().optional(),
      validUntil: z.string().optional(),
    })),
    details: z.record(z.string(), z.unknown()).describe("Category-specific fields, as given."),
    createdAt: isoDateTime("When the profile was created."),
    updatedAt: isoDateTime("Last change."),
  }),
  { id: "Vendor" },
);

export const VendorPage = pageOf(Vendor, "VendorPage");

export const VendorListQuery = PageQuery;

export const VendorSearchQuery = z.object({
  q: z.string().max(200).default("").describe(
    "Words to find in the business name, slug, city, country, certifications or " +
      "description, typos tolerated; empty lists every vendor by slug.",
  ),
  ...PageQuery.shape,
});

const VendorHit = doc(
  z.object({
    id: z.string(),
    slug: z.string(),
    businessName: z.string(),
    city: z.string(),
    country: z.string(),
  }),
  { id: "VendorHit" },
);

export const VendorSearchPage = pageOf(VendorHit, "VendorSearchPage");
