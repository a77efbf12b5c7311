import { DuplicateSku, InvalidVariantPrice } from "../errors.ts";
import type { Attrs, Product, Variant } from "./product.ts";

/**
 * Variants are SKUs. A product without variants is sold under its own SKU; a product with
 * variants (even if every one is retired) is sold only through them, and its own inventory row
 * is inactive: it keeps the base price and reserves the product SKU in the inventory primary
 * key, so no variant can ever take a product's SKU or another variant's (SKUs are unique across
 * all products and variants, retired ones included, and never reused).
 */

/** A variant as an admin writes it: the price is absolute or relative to the base price. */
export interface VariantInput {
  readonly sku: string;
  readonly label: string;
  readonly attrs: Attrs;
  /** Absolute price; exclusive with `priceAdjustmentCents`. Neither: the base price. */
  readonly priceCents?: number;
  /** Added to the product's base price when written; the stored price is absolute. */
  readonly priceAdjustmentCents?: number;
  /** Stock (initial for a new variant, absolute for an existing one). */
  readonly stock?: number;
  /** Per-warehouse stock, `{warehouseCode: qty}`; used where warehouses exist. */
  readonly stockByWarehouse?: Readonly<Record<string, number>>;
  readonly lowStockThreshold?: number;
}

/** True when the product is sold only through variants. */
export function hasVariants(product: Pick<Product, "variants">): boolean {
  return product.variants.length > 0;
}

/** The variants still sold, in the product's order. */
export function liveVariants(product: Pick<Product, "variants">): Variant[] {
  return product.variants.filter((v) => !v.retired);
}

/** Every SKU the product ever sold under: its own and each variant's (retired ones too). */
export function skusOf(product: Pick<Product, "sku" | "variants">): string[] {
  return [product.sku, ...product.variants.map((v) => v.sku)];
}

export function findVariant(
  product: Pick<Product, "variants">,
  sku: string,
): Variant | undefined {
  return product.variants.find((v) => v.sku === sku);
}

/** The absolute price a variant is written with. */
export function resolveVariantPrice(basePriceCents: number, input: VariantInput): number {
  const price = input.priceCents ?? basePriceCents + (input.priceAdjustmentCents ?? 0);
  if (!Number.isSafeInteger(price) || price < 0) throw new InvalidVariantPrice(input.sku, price);
  return price;
}

/** Throws `DuplicateSku` naming every SKU given twice, or equal to the product's own SKU. */
export function assertDistinctSkus(productSku: string, inputs: readonly VariantInput[]): void {
  const seen = new Set([productSku]);
  const twice = new Set<string>();
  for (const { sku } of inputs) {
    if (seen.has(sku)) twice.add(sku);
    seen.add(sku);
  }
  if (twice.size > 0) throw new DuplicateSku([...twice].sort());
}

/** What a variant list in a write does to the stored variants. */
export interface VariantPlan {
  /** The variants the document will hold, retired ones kept. */
  readonly variants: readonly Variant[];
  readonly added: readonly VariantInput[];
  readonly changed: readonly VariantInput[];
  readonly retired: readonly string[];
}

/**
 * `desired` is the full list of variants to sell: SKUs not stored yet are added, stored ones
 * changed (a retired SKU cannot come back: SKUs are never reused), and live ones missing from
 * the list are retired. Throws `DuplicateSku` for repeats or a retired SKU given again.
 */
export function planVariants(
  product: Pick<Product, "sku" | "variants">,
  desired: readonly VariantInput[],
): VariantPlan {
  assertDistinctSkus(product.sku, desired);
  const stored = new Map(product.variants.map((v) => [v.sku, v]));
  const revived = desired.filter((d) => stored.get(d.sku)?.retired).map((d) => d.sku);
  if (revived.length > 0) throw new DuplicateSku(revived);
  const wanted = new Map(desired.map((d) => [d.sku, d]));
  const retired = product.variants.filter((v) => !v.retired && !wanted.has(v.sku))
    .map((v) => v.sku);
  const variants: Variant[] = [
    ...product.variants.map((v): Variant => {
      const d = wanted.get(v.sku);
      if (d) return { sku: v.sku, label: d.label, attrs: d.attrs, retired: false };
      return { ...v, retired: true };
    }),
    ...desired.filter((d) => !stored.has(d.sku)).map((d): Variant => ({
      sku: d.sku,
      label: d.label,
      attrs: d.attrs,
      retired: false,
    })),
  ];
  return {
    variants,
    added: desired.filter((d) => !stored.has(d.sku)),
    changed: desired.filter((d) => stored.has(d.sku)),
    retired,
  };
}
