import { z } from "zod";
import { ATTR_NAME, ATTR_OPS, PRODUCT_SORTS } from "../../../domain/catalog/product.ts";
import { PUBLICATION_STATUSES } from "../../../domain/catalog/publication.ts";
import {
  Attrs,
  cents,
  count,
  Currency,
  doc,
  isoDateTime,
  Label,
  pageOf,
  PageQuery,
  priceInput,
  publicationTime,
  ResourceId,
  Sku,
  Slug,
} from "./_common.ts";

// ---- Catalog ----

const Availability = z.object({ available: count(), inStock: z.boolean() });

const Variant = z.object({
  sku: z.string(),
  label: z.string(),
  attrs: Attrs,
  priceCents: cents("The variant's own unit price in cents."),
  availability: Availability,
});

export const Product = doc(
  z.object({
    sku: z.string(),
    name: z.string(),
    slug: z.string(),
    category: z.string(),
    brand: z.string(),
    description: z.string(),
    priceCents: cents("Unit price in cents (inventory is the source of truth)."),
    currency: z.string(),
    images: z.array(z.string()),
    attrs: Attrs,
    variants: doc(z.array(Variant), {
      description: "The SKUs on sale (retired variants are left out). Empty: the product is " +
        "sold under its own SKU; otherwise only through these.",
    }),
    priceRange: z.object({
      minCents: cents("Lowest variant price (the product's price without variants)."),
      maxCents: cents("Highest variant price."),
    }),
    tags: z.array(z.string()),
    ratings: doc(
      z.object({
        avg: z.number().min(0).max(5),
        count: count(),
        distribution: z.object({
          "1": count(),
          "2": count(),
          "3": count(),
          "4": count(),
          "5": count(),
        }).describe("Published reviews per number of stars."),
      }),
      {
        description: "Recomputed from the published reviews whenever one is written, " +
          "moderated or deleted (through the reviews change feed); never set by hand.",
      },
    ),
    publishedAt: isoDateTime("Publication time; null while unpublished.").nullable(),
    updatedAt: isoDateTime("Last catalog change."),
    availability: Availability.describe("With variants: the sum over the variants on sale."),
    breadcrumbs: z.array(z.object({ slug: z.string(), name: z.string() })).describe(
      "The product's category and its ancestors, from the root down.",
    ),
    vendor: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable()
      .describe("The vendor selling it (see /vendors/{slug}); null: the shop itself."),
  }),
  { id: "Product" },
);

export const ProductDetail = doc(
  z.object({
    ...Product.shape,
    selectedVariant: z.string().nullable().describe(
      "The variant SKU the product was looked up by; null for a product SKU or slug.",
    ),
  }),
  { id: "ProductDetail" },
);

export const ProductPage = pageOf(Product, "ProductPage");

const ATTR_KEY = new RegExp(
  `^attr\\.(${ATTR_NAME.source.slice(1, -1)})\\.(${ATTR_OPS.join("|")})$`,
);

/** `attr.<name>.<op>` query parameters, validated; anything else under `attr.` is refused. */
export const AttrFilterParams = doc(
  z.record(z.string().regex(ATTR_KEY), z.string().max(200), {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `unknown attribute filter: use attr.<name>.<op>, <name> of [A-Za-z0-9_], <op> one of ${
          ATTR_OPS.join(", ")
        }`
        : undefined,
  }),
  {
    title: "attr.<name>.<op>",
    description: "Attribute filters: `attr.<name>.<op>=<value>` with `<name>` matching " +
      `\`[A-Za-z0-9_]+\` and \`<op>\` one of ${
        ATTR_OPS.join(", ")
      }; e.g. \`attr.ram_gb.gte=32\`. ` +
      "`true`/`false` are booleans, numbers compare as numbers. Every filter must match.",
    examples: [{ "attr.ram_gb.gte": "32", "attr.cpu.eq": "M3" }],
  },
);

export const CategoryFilter = doc(Label(100), {
  description: "A category's slug: products of that category and of every category below it.",
});

export const ProductListQuery = z.object({
  category: CategoryFilter.optional(),
  brand: Label(100).optional(),
  tag: Label(100).optional(),
  minRating: doc(z.coerce.number().min(0).max(5), { description: "Average rating 0-5." })
    .optional(),
  sort: z.enum(PRODUCT_SORTS).default("newest"),
  ...PageQuery.shape,
});

/** The admin list: browse filters plus the publication status at the server's clock. */
export const AdminProductListQuery = z.object({
  ...ProductListQuery.shape,
  status: doc(z.enum(PUBLICATION_STATUSES), {
    description: "`draft` (no publishedAt), `scheduled` (publishedAt later than now) or " +
      "`published`; absent: every product.",
  }).optional(),
});

export const ProductKeyParams = z.object({
  skuOrSlug: doc(z.string().regex(/^[A-Za-z0-9._-]{1,200}$/), {
    description: "A SKU or a slug.",
  }),
});

export const SkuParams = z.object({ sku: Sku });

const VariantStock = z.union([
  z.int().min(0).max(1_000_000_000),
  z.record(Label(50), z.int().min(0).max(1_000_000_000)),
]).describe("Units on hand: a number (the default warehouse) or `{warehouseCode: units}`.");

const NewVariant = z.strictObject({
  sku: Sku,
  label: Label(200),
  attrs: Attrs.default({}),
  priceCents: priceInput("The variant's price in cents.").optional(),
  priceAdjustmentCents: z.int().min(-1_000_000_000).max(1_000_000_000).optional()
    .describe("Added to the product's price; the absolute price is stored."),
  stock: VariantStock.optional(),
  lowStockThreshold: z.int().min(0).max(1_000_000_000).optional(),
}).refine((v) => v.priceCents === undefined || v.priceAdjustmentCents === undefined, {
  message: "give either priceCents or priceAdjustmentCents, not both",
  path: ["priceAdjustmentCents"],
});

/** Variant SKUs must differ from each other and from the product's SKU. */
function distinctVariantSkus<T extends { sku?: string; variants?: readonly { sku: string }[] }>(
  body: T,
  ctx: z.RefinementCtx<T>,
): void {
  const seen = new Set(body.sku === undefined ? [] : [body.sku]);
  body.variants?.forEach((v, i) => {
    if (seen.has(v.sku)) {
      ctx.addIssue({
        code: "custom",
        message: `variant SKU ${v.sku} is given twice or equals the product's SKU`,
        path: ["variants", i, "sku"],
      });
    }
    seen.add(v.sku);
  });
}

export const CreateProductRequest = doc(
  z.strictObject({
    sku: Sku,
    name: Label(200),
    slug: Slug.optional(),
    category: Label(100),
    brand: Label(100),
    description: z.string().max(10_000).default(""),
    images: z.array(z.url().max(2_000)).max(20).default([]),
    attrs: Attrs.default({}),
    variants: doc(z.array(NewVariant).max(50).default([]), {
      description: "Sellable SKUs; when given, the product is sold only through them and " +
        "its own `stock` must be 0.",
    }),
    tags: z.array(Label(50)).max(50).default([]),
    priceCents: priceInput("Unit price in cents."),
    currency: Currency.optional(),
    stock: z.int().min(0).max(1_000_000_000).default(0)
      .describe("Units on hand under the product's own SKU (0 when it has variants)."),
    publishedAt: publicationTime("Defaults to now; null keeps a draft, a later time schedules it.")
      .nullable().optional(),
    vendorId: ResourceId.optional().describe(
      "The id of the vendor selling it (422 unknown_vendor when there is none); absent: the " +
        "shop itself.",
    ),
  }).superRefine(distinctVariantSkus).refine((b) => b.variants.length === 0 || b.stock === 0, {
    message: "a product with variants is stocked per variant: leave its own stock at 0",
    path: ["stock"],
  }),
  { id: "CreateProductRequest", description: "Catalog content plus price and stock." },
);

export const UpdateProductRequest = doc(
  z.strictObject({
    name: Label(200).optional(),
    slug: Slug.optional(),
    category: Label(100).optional(),
    brand: Label(100).optional(),
    description: z.string().max(10_000).optional(),
    images: z.array(z.url().max(2_000)).max(20).optional(),
    attrs: Attrs.optional(),
    variants: doc(z.array(NewVariant).max(50).optional(), {
      description: "The full list of variants to sell: new SKUs are added (with their " +
        "initial stock), listed ones changed, and live ones left out are retired (no longer " +
        "sold; kept in order history; their SKU is never reused).",
    }),
    tags: z.array(Label(50)).max(50).optional(),
    priceCents: priceInput("New unit price in cents.").optional(),
    stock: z.int().min(0).max(1_000_000_000).optional().describe("Absolute stock."),
    stockDelta: z.int().min(-1_000_000_000).max(1_000_000_000).optional()
      .describe("Relative stock change; exclusive with `stock`."),
    publishedAt: publicationTime("A time publishes (later: schedules); null unpublishes.")
      .nullable()
      .optional(),
    vendorId: ResourceId.nullable().optional().describe(
      "Another vendor's id (422 unknown_vendor when there is none); null: the shop itself.",
    ),
  }).refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "change at least one field",
  }).refine((b) => b.stock === undefined || b.stockDelta === undefined, {
    message: "give either stock or stockDelta, not both",
    path: ["stockDelta"],
  }).superRefine(distinctVariantSkus),
  { id: "UpdateProductRequest", description: "Any subset of the product's fields." },
);
