/**
 * The demo catalog's row shapes and builders: one builder per category turns a compact
 * positional row into product attributes and variant configs (seed.ts seeds them).
 */
import type { Attrs } from "../../domain/catalog/product.ts";
import { sizesAndColours } from "./_seed_variants.ts";

export interface Row {
  readonly brand: string;
  readonly name: string;
  /** Price in cents. */
  readonly price: number;
  readonly attrs: Attrs;
  /** 1-3 variants; each overrides product attributes. The first is the listed config. */
  readonly variants: readonly Attrs[];
  readonly tags: readonly string[];
  /** The description's second sentence. */
  readonly blurb: string;
}

export interface Category {
  readonly name: string;
  readonly prefix: string;
  /**
   * Sold in variants (laptops in memory options, t-shirts in sizes and colours): each config
   * is a SKU with its own price and stock. Elsewhere the configs only shape the attributes.
   */
  readonly sellsVariants?: (attrs: Attrs) => string;
  readonly label: (attrs: Attrs) => string;
  readonly intro: (row: Row, attrs: Attrs) => string;
  readonly rows: readonly Row[];
}

export const laptop = (
  brand: string,
  name: string,
  price: number,
  cpu: string,
  screen_in: number,
  weight_kg: number,
  configs: readonly [number, number][],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { cpu, screen_in, weight_kg, ram_gb: configs[0][0], storage_gb: configs[0][1] },
  variants: configs.map(([ram_gb, storage_gb]) => ({ ram_gb, storage_gb })),
  tags,
  blurb,
});

export const phone = (
  brand: string,
  name: string,
  price: number,
  screen_in: number,
  fiveG: boolean,
  variants: readonly [number, string][],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { screen_in, "5g": fiveG, storage_gb: variants[0][0], color: variants[0][1] },
  variants: variants.map(([storage_gb, color]) => ({ storage_gb, color })),
  tags,
  blurb,
});

export const headphone = (
  brand: string,
  name: string,
  price: number,
  form: string,
  wireless: boolean,
  anc: boolean,
  battery_h: number,
  colors: readonly string[],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { form, wireless, anc, battery_h, color: colors[0] },
  variants: colors.map((color) => ({ color })),
  tags,
  blurb,
});

export const monitor = (
  brand: string,
  name: string,
  price: number,
  size_in: number,
  refresh_hz: number,
  panel: string,
  resolution: string,
  stands: readonly string[],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { size_in, refresh_hz, panel, resolution, stand: stands[0] },
  variants: stands.map((stand) => ({ stand })),
  tags,
  blurb,
});

export const shoe = (
  brand: string,
  name: string,
  price: number,
  surface: string,
  gender: string,
  sizes: readonly [number, number],
  colors: readonly string[],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { surface, gender, size_eu_min: sizes[0], size_eu_max: sizes[1], color: colors[0] },
  variants: colors.map((color) => ({ color })),
  tags,
  blurb,
});

export const book = (
  brand: string,
  name: string,
  price: number,
  author: string,
  pages: number,
  year: number,
  formats: readonly string[],
  tags: readonly string[],
  blurb: string,
): Row => ({
  brand,
  name,
  price,
  attrs: { author, pages, year, language: "en", format: formats[0] },
  variants: formats.map((format) => ({ format })),
  tags,
  blurb,
});

export const tee = (
  brand: string,
  name: string,
  price: number,
  material: string,
  fit: string,
  gender: string,
  sizes: readonly string[],
  colors: readonly string[],
  tags: readonly string[],
  blurb: string,
): Row => {
  const variants = sizesAndColours(sizes, colors);
  return {
    brand,
    name,
    price,
    attrs: { material, fit, gender, ...variants[0] },
    variants,
    tags,
    blurb,
  };
};

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "an 896-page", "a 352-page" (enough English for numbers below 1000). */
export const article = (
  n: number,
) => (String(n).startsWith("8") || n === 11 || n === 18 ? "an" : "a");
