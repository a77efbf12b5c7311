import type { Attrs } from "../../domain/catalog/product.ts";

/**
 * Demo prices of seeded variants: a laptop's memory and storage options cost more (or less)
 * than its listed config; a t-shirt's XXL costs a little more. Always at least one dollar.
 */
export function variantPriceFor(
  category: string,
  basePriceCents: number,
  listed: Attrs,
  attrs: Attrs,
): number {
  let price = basePriceCents;
  if (category === "laptops") {
    price += ((Number(attrs.ram_gb) - Number(listed.ram_gb)) / 8) * 10_000;
    price += ((Number(attrs.storage_gb) - Number(listed.storage_gb)) / 512) * 8_000;
  }
  if (category === "t-shirts" && attrs.size === "XXL") price += 300;
  return Math.max(100, Math.round(price));
}

/** Every size in every colour, sizes first: `[{size: "S", color: "White"}, ...]`. */
export function sizesAndColours(sizes: readonly string[], colours: readonly string[]): Attrs[] {
  return colours.flatMap((color) => sizes.map((size) => ({ size, color })));
}
