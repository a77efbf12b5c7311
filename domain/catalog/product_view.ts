import type { Product } from "./product.ts";
import type { InventoryItem } from "../inventory/stock.ts";
import { available } from "../inventory/stock.ts";
import { liveVariants } from "./variant.ts";

export interface Availability {
  readonly available: number;
  readonly inStock: boolean;
}

/** A variant still sold, as shoppers see it: price and availability from inventory. */
export interface VariantView {
  readonly sku: string;
  readonly label: string;
  readonly attrs: Product["attrs"];
  readonly priceCents: number;
  readonly availability: Availability;
}

export interface PriceRange {
  readonly minCents: number;
  readonly maxCents: number;
}

/**
 * A product as clients see it: catalog content, inventory price and availability. With
 * variants, `availability` sums theirs and `priceRange` spans theirs; `priceCents` stays the
 * base price.
 */
export interface ProductView extends Omit<Product, "version" | "variants"> {
  readonly variants: readonly VariantView[];
  readonly priceRange: PriceRange;
  readonly availability: Availability;
}

export function availabilityOf(item: InventoryItem | null | undefined): Availability {
  const units = item && item.active ? available(item) : 0;
  return { available: units, inStock: units > 0 };
}

/**
 * `item` is the product's own row; `variantItems` holds the rows of its variants by SKU (rows
 * missing there count as out of stock at the base price).
 */
export function toProductView(
  product: Product,
  item: InventoryItem | null,
  variantItems: ReadonlyMap<string, InventoryItem> = new Map(),
): ProductView {
  const { version: _version, variants: _variants, ...content } = product;
  const priceCents = item?.unitPriceCents ?? product.priceCents;
  const variants = liveVariants(product).map((v): VariantView => {
    const row = variantItems.get(v.sku);
    return {
      sku: v.sku,
      label: v.label,
      attrs: v.attrs,
      priceCents: row?.unitPriceCents ?? priceCents,
      availability: availabilityOf(row),
    };
  });
  const prices = variants.length > 0 ? variants.map((v) => v.priceCents) : [priceCents];
  const units = product.variants.length > 0
    ? variants.reduce((sum, v) => sum + v.availability.available, 0)
    : availabilityOf(item).available;
  return {
    ...content,
    variants,
    priceCents,
    priceRange: { minCents: Math.min(...prices), maxCents: Math.max(...prices) },
    currency: item?.currency ?? product.currency,
    availability: { available: units, inStock: units > 0 },
  };
}
