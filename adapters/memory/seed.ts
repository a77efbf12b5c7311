/**
 * Deterministic demo catalog: 72 products (one a draft, one scheduled) over six categories, each with its own attribute
 * set, and one inventory row per product. The same `now` always yields the same data.
 * The row tables live in _seed_products.ts (built with _seed_rows.ts), the warehouses in
 * seed_warehouses.ts; this file turns the rows into products and stock.
 */
import type { Attrs, AttrValue, Product, Ratings, Variant } from "../../domain/catalog/product.ts";
import { NO_RATINGS } from "../../domain/reviews/review.ts";
import { variantPriceFor } from "./_seed_variants.ts";
import { slugify } from "../../domain/catalog/product.ts";
import { type InventoryItem, newInventoryItem } from "../../domain/inventory/stock.ts";
import { DEFAULT_CURRENCY } from "../../domain/money.ts";
import { CATEGORIES } from "./_seed_products.ts";

export { SEED_EAST_THRESHOLD, SEED_WAREHOUSES, seedEastStock } from "./seed_warehouses.ts";

/** Attributes every product of a category carries. */
export const CATEGORY_ATTRS: Readonly<Record<string, readonly string[]>> = {
  laptops: ["ram_gb", "storage_gb", "cpu", "screen_in", "weight_kg"],
  phones: ["storage_gb", "screen_in", "color", "5g"],
  headphones: ["wireless", "anc", "battery_h", "form"],
  monitors: ["size_in", "refresh_hz", "panel", "resolution"],
  shoes: ["size_eu_min", "size_eu_max", "color", "surface", "gender"],
  "t-shirts": ["material", "fit", "gender", "size", "color"],
  books: ["author", "pages", "format", "year", "language"],
};

/**
 * Seed products that are not published yet, by name: a draft (`null`) and one scheduled a
 * week after the seed's `now`, so `deno task dev` shows admins both states.
 */
export const UNPUBLISHED: Readonly<Record<string, "draft" | "scheduled">> = {
  "Hexagonal Commerce Handbook": "draft",
  "Zero-Downtime Schema Migrations": "scheduled",
};
const SCHEDULED_IN_MS = 7 * 24 * 3_600_000;

/** mulberry32: a small seeded PRNG so the seed is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function stockFor(index: number, rand: () => number): number {
  if (index % 16 === 7) return 0; // sold out
  if (index % 13 === 4) return 1 + Math.floor(rand() * 4); // low: 1..4
  return 5 + Math.floor(rand() * 196); // 5..200
}

/**
 * Ratings are derived from reviews (seed_reviews.ts), never set by hand. The two draws that
 * once made hand-set ratings are kept so every other seeded figure (stock) stays as it was.
 */
function skipRetiredDraws(rand: () => number): Ratings {
  rand();
  rand();
  return NO_RATINGS;
}

/** The demo catalog and its inventory; the same `now` always gives the same result. */
export function seedCatalog(now: Date): { products: Product[]; inventory: InventoryItem[] } {
  const products: Product[] = [];
  const inventory: InventoryItem[] = [];
  let index = 0;
  for (const category of CATEGORIES) {
    category.rows.forEach((row, n) => {
      const rand = prng(0x9e3779b9 ^ (index * 2654435761));
      const sku = `${category.prefix}-${String(n + 1).padStart(3, "0")}`;
      const attrs: Attrs = { ...row.attrs, ...row.variants[0] };
      const sellsVariants = category.sellsVariants;
      const variants: Variant[] = sellsVariants === undefined ? [] : row.variants.map((v) => {
        const merged: Record<string, AttrValue> = { ...v };
        const suffix = sellsVariants(merged);
        return {
          sku: `${sku}-${suffix}`,
          label: category.label(merged),
          attrs: merged,
          retired: false,
        };
      });
      const images = Array.from(
        { length: 2 + (index % 3) },
        (_, i) => `https://img.polycart.example/${sku}/${i + 1}.jpg`,
      );
      const ageMs = ((index * 67) % 180) * DAY_MS - Math.floor(rand() * 23 + 1) * HOUR_MS;
      const state = UNPUBLISHED[row.name];
      const publishedAt = state === "draft"
        ? null
        : state === "scheduled"
        ? new Date(now.getTime() + SCHEDULED_IN_MS)
        : new Date(now.getTime() - Math.max(HOUR_MS, ageMs));
      products.push({
        sku,
        name: row.name,
        slug: slugify(row.name),
        category: category.name,
        brand: row.brand,
        description: `${category.intro(row, attrs)} ${row.blurb}`,
        images,
        attrs,
        variants,
        tags: [...row.tags],
        ratings: skipRetiredDraws(rand),
        priceCents: row.price,
        currency: DEFAULT_CURRENCY,
        publishedAt,
        updatedAt: new Date(now.getTime()),
        version: 1,
      });
      const stock = stockFor(index, rand);
      const own = newInventoryItem({
        sku,
        name: row.name,
        unitPriceCents: row.price,
        currency: DEFAULT_CURRENCY,
        stock: variants.length > 0 ? 0 : stock,
        publishedAt,
      }, new Date(now.getTime()));
      // Sold only through its variants: the product's own row is inactive (see variant.ts).
      inventory.push({ ...own, active: variants.length === 0 });
      variants.forEach((v, i) => {
        inventory.push(newInventoryItem({
          sku: v.sku,
          productSku: sku,
          variantLabel: v.label,
          name: row.name,
          unitPriceCents: variantPriceFor(category.name, row.price, row.variants[0], v.attrs),
          currency: DEFAULT_CURRENCY,
          // The first variant keeps the product's old stock (sold-out and low ones stay so).
          stock: i === 0 ? stock : stockFor(index + 3 * i, rand),
          publishedAt,
        }, new Date(now.getTime())));
      });
      index += 1;
    });
  }
  return { products, inventory };
}
