/**
 * The demo category tree: three levels under electronics, attributes declared at the level
 * they belong to and inherited below (`color` from electronics, `weight_kg` from computers,
 * `wireless` from audio, `gender` and `color` from apparel, which t-shirts narrow to an enum).
 * `required` marks only what every seeded product of the category carries outside its
 * variants; `facet` what shoppers filter by. Parents come before children.
 */
import type { AttributeDefinition, Category } from "../../domain/catalog/category.ts";
import {
  breadcrumbsOf,
  childPath,
  facetableNames,
  lineage,
} from "../../domain/catalog/category.ts";
import type { Product } from "../../domain/catalog/product.ts";

interface SeedCategory {
  readonly slug: string;
  readonly name: string;
  readonly parent: string | null;
  readonly attributes: readonly AttributeDefinition[];
}

const num = (
  name: string,
  unit: string | undefined,
  required: boolean,
  facet: boolean,
): AttributeDefinition => ({
  name,
  type: "number",
  ...(unit === undefined ? {} : { unit }),
  required,
  facet,
});
const str = (name: string, required: boolean, facet: boolean): AttributeDefinition => ({
  name,
  type: "string",
  required,
  facet,
});
const bool = (name: string, required: boolean, facet: boolean): AttributeDefinition => ({
  name,
  type: "boolean",
  required,
  facet,
});
const oneOf = (
  name: string,
  values: readonly string[],
  required: boolean,
  facet: boolean,
): AttributeDefinition => ({ name, type: "enum", values, required, facet });

export const SEED_CATEGORIES: readonly SeedCategory[] = [
  {
    slug: "electronics",
    name: "Electronics",
    parent: null,
    attributes: [str("color", false, true)],
  },
  {
    slug: "computers",
    name: "Computers",
    parent: "electronics",
    attributes: [num("weight_kg", "kg", false, false)],
  },
  {
    slug: "laptops",
    name: "Laptops",
    parent: "computers",
    attributes: [
      str("cpu", true, true),
      // Laptops are sold in memory options: these are variant attributes too.
      num("ram_gb", "GB", false, true),
      num("storage_gb", "GB", false, true),
      num("screen_in", "in", true, true),
    ],
  },
  {
    slug: "monitors",
    name: "Monitors",
    parent: "computers",
    attributes: [
      num("size_in", "in", true, true),
      num("refresh_hz", "Hz", true, true),
      oneOf("panel", ["IPS", "VA", "OLED", "TN"], true, true),
      str("resolution", true, true),
      str("stand", false, false),
    ],
  },
  {
    slug: "phones",
    name: "Phones",
    parent: "electronics",
    attributes: [
      num("screen_in", "in", true, true),
      bool("5g", true, true),
      num("storage_gb", "GB", false, true),
    ],
  },
  {
    slug: "audio",
    name: "Audio",
    parent: "electronics",
    attributes: [bool("wireless", true, true)],
  },
  {
    slug: "headphones",
    name: "Headphones",
    parent: "audio",
    attributes: [
      oneOf("form", ["over-ear", "on-ear", "in-ear"], true, true),
      bool("anc", true, true),
      num("battery_h", "h", true, false),
    ],
  },
  {
    slug: "apparel",
    name: "Apparel",
    parent: null,
    attributes: [
      oneOf("gender", ["men", "women", "unisex"], false, true),
      str("color", false, true),
    ],
  },
  {
    slug: "shoes",
    name: "Shoes",
    parent: "apparel",
    attributes: [
      oneOf("surface", ["road", "trail", "street"], true, true),
      num("size_eu_min", "EU", true, false),
      num("size_eu_max", "EU", true, false),
    ],
  },
  {
    slug: "t-shirts",
    name: "T-shirts",
    parent: "apparel",
    attributes: [
      // Sold in sizes and colours (variant attributes).
      oneOf("size", ["XS", "S", "M", "L", "XL", "XXL"], false, true),
      oneOf(
        "color",
        ["White", "Black", "Navy", "Blue", "Red", "Grey", "Green", "Yellow"],
        false,
        true,
      ),
      str("material", false, true),
      oneOf("fit", ["slim", "regular", "relaxed"], false, true),
    ],
  },
  {
    slug: "books",
    name: "Books",
    parent: null,
    attributes: [
      str("author", true, false),
      num("pages", undefined, true, false),
      oneOf("format", ["paperback", "hardcover", "ebook"], true, true),
      num("year", undefined, false, false),
      str("language", false, true),
    ],
  },
];

/** The seed tree as stored categories (version 1, paths from the parents), parents first. */
export function seedCategories(now: Date): Category[] {
  const paths = new Map<string, string>();
  return SEED_CATEGORIES.map((c) => {
    const path = childPath(c.parent === null ? null : paths.get(c.parent)!, c.slug);
    paths.set(c.slug, path);
    return {
      slug: c.slug,
      name: c.name,
      parent: c.parent,
      path,
      attributes: c.attributes,
      updatedAt: new Date(now.getTime()),
      version: 1,
    };
  });
}

/** Seed products with the breadcrumbs and path of their category in `tree`. */
export function placeInTree(products: readonly Product[], tree: readonly Category[]): Product[] {
  const bySlug = new Map(tree.map((c) => [c.slug, c]));
  return products.map((p) => {
    const chain = lineage(p.category, bySlug);
    return {
      ...p,
      breadcrumbs: breadcrumbsOf(chain),
      categoryPath: chain.map((c) => c.slug).join("/"),
      categoryFacets: facetableNames(chain),
    };
  });
}
