/**
 * Request and response shapes of addresses, shipping and tax (see _common.ts for the
 * conventions: strict request bodies, named components through `doc`).
 */
import { z } from "zod";
import { isCountryCode } from "../../../domain/shipping/countries.ts";
import { doc, Label, ResourceId as Id } from "./_common.ts";

const MAX_CENTS = 1_000_000_000_000;
const cents = (description: string) => z.int().min(0).max(MAX_CENTS).describe(description);

export const CountryCode = doc(
  z.string().refine(isCountryCode, {
    message: "must be an assigned ISO 3166-1 alpha-2 country code in upper case, like US or DE",
  }),
  { description: "ISO 3166-1 alpha-2 country code (an assigned one).", examples: ["DE"] },
);
const Region = Label(64).describe("State, province or region code, as the tax table names it.");

export const IdParams = z.object({ id: Id });

// ---- Addresses ----

export const Address = doc(
  z.object({
    id: z.string(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().nullable(),
    isDefaultShipping: z.boolean(),
    isDefaultBilling: z.boolean(),
  }),
  { id: "Address" },
);

export const AddressList = doc(
  z.object({ items: z.array(Address).describe("Oldest first.") }),
  { id: "AddressList" },
);

export const addressFields = {
  name: Label(200).describe("The recipient."),
  line1: Label(200),
  line2: Label(200).nullable().optional(),
  city: Label(100),
  region: Region.nullable().optional(),
  postalCode: Label(20),
  country: CountryCode,
  phone: z.string().regex(/^\+?[0-9 ()-]{3,32}$/).nullable().optional(),
  isDefaultShipping: z.boolean().optional().describe(
    "true makes it the default shipping address, clearing the previous default.",
  ),
  isDefaultBilling: z.boolean().optional().describe(
    "true makes it the default billing address, clearing the previous default.",
  ),
};

export const CreateAddressRequest = doc(z.strictObject(addressFields), {
  id: "CreateAddressRequest",
});

export const UpdateAddressRequest = doc(
  z.strictObject({
    name: addressFields.name.optional(),
    line1: addressFields.line1.optional(),
    line2: addressFields.line2,
    city: addressFields.city.optional(),
    region: addressFields.region,
    postalCode: addressFields.postalCode.optional(),
    country: CountryCode.optional(),
    phone: addressFields.phone,
    isDefaultShipping: addressFields.isDefaultShipping,
    isDefaultBilling: addressFields.isDefaultBilling,
  }).refine((b) => Object.keys(b).length > 0, { message: "change at least one field" }),
  { id: "UpdateAddressRequest", description: "Any subset; null clears an optional field." },
);

// ---- Shipping ----

export const ShippingZone = doc(
  z.object({ id: z.string(), name: z.string(), countries: z.array(z.string()) }),
  { id: "ShippingZone" },
);
export const ShippingZoneList = doc(
  z.object({ items: z.array(ShippingZone).describe("By name, then id.") }),
  { id: "ShippingZoneList" },
);

const Countries = z.array(CountryCode).min(1).max(250).refine(
  (list) => new Set(list).size === list.length,
  { message: "list each country once" },
);

export const CreateShippingZoneRequest = doc(
  z.strictObject({ name: Label(200), countries: Countries }),
  { id: "CreateShippingZoneRequest" },
);
export const UpdateShippingZoneRequest = doc(
  z.strictObject({ name: Label(200).optional(), countries: Countries.optional() })
    .refine((b) => Object.keys(b).length > 0, { message: "change at least one field" }),
  { id: "UpdateShippingZoneRequest" },
);

const EstimatedDays = z.object({ min: z.int().min(0).max(365), max: z.int().min(0).max(365) });

export const ShippingOption = doc(
  z.object({
    id: z.string(),
    zoneId: z.string(),
    name: z.string(),
    priceCents: z.int(),
    currency: z.string(),
    freeOverCents: z.int().nullable(),
    estimatedDays: EstimatedDays,
  }),
  { id: "ShippingOption" },
);
export const ShippingOptionList = doc(
  z.object({ items: z.array(ShippingOption).describe("By zone, price, then id.") }),
  { id: "ShippingOptionList" },
);

const Currency = z.string().regex(/^[A-Z]{3}$/).describe("ISO 4217 code.");
const Days = z.strictObject({ min: z.int().min(0).max(365), max: z.int().min(0).max(365) })
  .refine((d) => d.min <= d.max, { message: "min must not exceed max", path: ["max"] });

export const CreateShippingOptionRequest = doc(
  z.strictObject({
    zoneId: Id,
    name: Label(200),
    priceCents: cents("Flat price in cents."),
    currency: Currency,
    freeOverCents: cents("A cart subtotal at or above this ships free.").nullable().optional(),
    estimatedDays: Days,
  }),
  { id: "CreateShippingOptionRequest" },
);
export const UpdateShippingOptionRequest = doc(
  z.strictObject({
    zoneId: Id.optional(),
    name: Label(200).optional(),
    priceCents: cents("Flat price in cents.").optional(),
    currency: Currency.optional(),
    freeOverCents: cents("null: never free.").nullable().optional(),
    estimatedDays: Days.optional(),
  }).refine((b) => Object.keys(b).length > 0, { message: "change at least one field" }),
  { id: "UpdateShippingOptionRequest" },
);

// ---- Tax ----

export const TaxRate = doc(
  z.object({
    id: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    rateBasisPoints: z.int(),
    pricesIncludeTax: z.boolean(),
    shippingTaxed: z.boolean(),
  }),
  { id: "TaxRate" },
);
export const TaxRateList = doc(
  z.object({ items: z.array(TaxRate).describe("By country, country-wide first, then region.") }),
  { id: "TaxRateList" },
);

const BasisPoints = z.int().min(0).max(10_000).describe("1 = 0.01 %; 1900 is 19 %.");

export const CreateTaxRateRequest = doc(
  z.strictObject({
    country: CountryCode,
    region: Region.nullable().optional().describe("Absent or null: the whole country."),
    rateBasisPoints: BasisPoints,
    pricesIncludeTax: z.boolean(),
    shippingTaxed: z.boolean(),
  }),
  { id: "CreateTaxRateRequest" },
);
export const UpdateTaxRateRequest = doc(
  z.strictObject({
    country: CountryCode.optional(),
    region: Region.nullable().optional(),
    rateBasisPoints: BasisPoints.optional(),
    pricesIncludeTax: z.boolean().optional(),
    shippingTaxed: z.boolean().optional(),
  }).refine((b) => Object.keys(b).length > 0, { message: "change at least one field" }),
  { id: "UpdateTaxRateRequest" },
);

// ---- The cart's shipping options and quote ----

const destination = {
  country: CountryCode.optional().describe("The destination country; or give addressId."),
  addressId: Id.optional().describe("One of the caller's addresses; or give country."),
};
const oneDestination = (q: { country?: string; addressId?: string }) =>
  (q.country === undefined) !== (q.addressId === undefined);
const ONE = { message: "give either country or addressId" };

export const CartShippingOptionsQuery = z.object(destination).refine(oneDestination, ONE);

export const CartQuoteQuery = z.object({
  ...destination,
  region: Region.optional().describe("With country: the region whose tax rate applies."),
  shippingOptionId: Id.optional().describe("The option to price; absent: no shipping."),
}).refine(oneDestination, ONE).refine((q) => q.region === undefined || q.country !== undefined, {
  message: "region goes with country (an address carries its own)",
  path: ["region"],
});

export const PricedShippingOption = doc(
  ShippingOption.extend({
    priceCents: z.int().describe("What this cart pays: 0 at or above freeOverCents."),
    listPriceCents: z.int().describe("The option's flat price."),
  }),
  { id: "PricedShippingOption" },
);

export const CartShippingOptions = doc(
  z.object({
    country: z.string(),
    currency: z.string(),
    subtotalCents: z.int(),
    items: z.array(PricedShippingOption),
  }),
  { id: "CartShippingOptions" },
);

export const CartQuote = doc(
  z.object({
    country: z.string(),
    region: z.string().nullable(),
    currency: z.string(),
    shippingOptionId: z.string().nullable(),
    subtotalCents: z.int(),
    shippingCents: z.int(),
    shippingTaxCents: z.int(),
    taxCents: z.int().describe("Each line's tax rounded half up to the cent, then summed."),
    totalCents: z.int().describe("Inclusive prices: as shown; exclusive ones: plus tax."),
    lines: z.array(z.object({
      sku: z.string(),
      qty: z.int(),
      unitPriceCents: z.int(),
      lineCents: z.int(),
      taxCents: z.int(),
    })),
  }),
  { id: "CartQuote" },
);
