import { z } from "zod";
import type { Product } from "../../domain/catalog/product.ts";

const AttrValue = z.union([z.string(), z.number(), z.boolean()]);
const Attrs = z.record(z.string(), AttrValue);

const VariantDoc = z.object({
  sku: z.string(),
  label: z.string(),
  attrs: Attrs,
  retired: z.boolean().default(false),
});

/**
 * A `products` document as stored: the product with `_id` = SKU (so change events, deletes
 * included, carry the SKU in `documentKey`). Validated whenever one is read back; unknown
 * fields are dropped.
 */
export const ProductDoc = z.object({
  _id: z.string(),
  sku: z.string(),
  name: z.string(),
  slug: z.string(),
  category: z.string(),
  brand: z.string(),
  description: z.string(),
  images: z.array(z.string()),
  attrs: Attrs,
  variants: z.array(z.unknown()).transform((list) =>
    // Before variants were SKUs they were labels (`{id, label, attrs}`), never sold: dropped.
    list.flatMap((raw) => {
      const parsed = VariantDoc.safeParse(raw);
      return parsed.success ? [parsed.data] : [];
    })
  ),
  tags: z.array(z.string()),
  ratings: z.object({
    avg: z.number(),
    count: z.number(),
    distribution: z.object({
      "1": z.number(),
      "2": z.number(),
      "3": z.number(),
      "4": z.number(),
      "5": z.number(),
    }).optional(),
  }),
  priceCents: z.number().int(),
  currency: z.string(),
  publishedAt: z.date().nullable(),
  updatedAt: z.date(),
  version: z.number().int(),
  breadcrumbs: z.array(z.object({ slug: z.string(), name: z.string() })).optional(),
  categoryPath: z.string().optional(),
  categoryFacets: z.array(z.string()).optional(),
  vendorId: z.string().optional(),
  vendor: z.object({ id: z.string(), slug: z.string(), name: z.string() }).optional(),
});
export type ProductDoc = z.infer<typeof ProductDoc>;

/** Field by field, so nothing but product data is ever written. */
export function toDoc(p: Product): ProductDoc {
  return {
    _id: p.sku,
    sku: p.sku,
    name: p.name,
    slug: p.slug,
    category: p.category,
    brand: p.brand,
    description: p.description,
    images: [...p.images],
    attrs: { ...p.attrs },
    variants: p.variants.map((v) => ({
      sku: v.sku,
      label: v.label,
      attrs: { ...v.attrs },
      retired: v.retired,
    })),
    tags: [...p.tags],
    ratings: {
      avg: p.ratings.avg,
      count: p.ratings.count,
      ...(p.ratings.distribution ? { distribution: { ...p.ratings.distribution } } : {}),
    },
    priceCents: p.priceCents,
    currency: p.currency,
    publishedAt: p.publishedAt,
    updatedAt: p.updatedAt,
    version: p.version,
    ...(p.breadcrumbs === undefined
      ? {}
      : { breadcrumbs: p.breadcrumbs.map((b) => ({ slug: b.slug, name: b.name })) }),
    ...(p.categoryPath === undefined ? {} : { categoryPath: p.categoryPath }),
    ...(p.categoryFacets === undefined ? {} : { categoryFacets: [...p.categoryFacets] }),
    ...(p.vendorId === undefined ? {} : { vendorId: p.vendorId }),
    ...(p.vendor === undefined
      ? {}
      : { vendor: { id: p.vendor.id, slug: p.vendor.slug, name: p.vendor.name } }),
  };
}

export function fromDoc(raw: unknown): Product {
  const { _id: _ignored, ...product } = ProductDoc.parse(raw);
  return product;
}
