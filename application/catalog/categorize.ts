/**
 * What a product takes from the category tree when it is written: the category must exist,
 * its attributes must fit the effective definitions, and it carries the breadcrumbs and path
 * of its category from then on (the category sync keeps those copies in step afterwards).
 */
import {
  type Breadcrumb,
  breadcrumbsOf,
  type Category,
  checkAttributes,
  effectiveAttributes,
  facetableNames,
  lineage,
} from "../../domain/catalog/category.ts";
import type { Attrs } from "../../domain/catalog/product.ts";
import { InvalidAttributes, UnknownCategory } from "../../domain/errors.ts";
import type { Categories } from "../../ports/catalog/categories.ts";

export interface Placement {
  readonly breadcrumbs: readonly Breadcrumb[];
  readonly categoryPath: string;
  /** The effective facetable attribute names (see `Product.categoryFacets`). */
  readonly categoryFacets: readonly string[];
}

/** The chain from the root down to `slug`, read from the store; null when `slug` is unknown. */
export async function chainOf(
  categories: Categories,
  slug: string,
): Promise<Category[] | null> {
  const all = await categories.all();
  const bySlug = new Map(all.map((c) => [c.slug, c]));
  if (!bySlug.has(slug)) return null;
  return lineage(slug, bySlug);
}

export function placementOf(chain: readonly Category[]): Placement {
  return {
    breadcrumbs: breadcrumbsOf(chain),
    categoryPath: chain.map((c) => c.slug).join("/"),
    categoryFacets: facetableNames(chain),
  };
}

/**
 * Checks `attrs` against `category`'s effective definitions and answers where the product
 * sits. Each variant's attributes must have the declared type too (`variants[i].attrs.<name>`);
 * required ones are asked of the product, which every variant shares. Throws
 * `UnknownCategory` (field `category`) or `InvalidAttributes` naming each field at fault.
 */
export async function categorize(
  categories: Categories,
  category: string,
  attrs: Attrs,
  variantAttrs: readonly Attrs[] = [],
): Promise<Placement> {
  const chain = await chainOf(categories, category);
  if (!chain) throw new UnknownCategory(category, "category");
  const definitions = effectiveAttributes(chain);
  const problems = checkAttributes(definitions, attrs, category);
  variantAttrs.forEach((own, i) => {
    const given = definitions
      .filter((d) => Object.hasOwn(own, d.name))
      .map((d) => ({ ...d, required: false }));
    for (const p of checkAttributes(given, own, category)) {
      problems.push({ path: `variants[${i}].${p.path}`, message: `variants[${i}].${p.message}` });
    }
  });
  if (problems.length > 0) throw new InvalidAttributes(category, problems);
  return placementOf(chain);
}

/**
 * After a product write: the category may have been deleted between the check and the write
 * (no transaction spans both). Throws `UnknownCategory` then, so the caller undoes its write.
 */
export async function confirmCategory(categories: Categories, category: string): Promise<void> {
  if (!(await categories.get(category))) throw new UnknownCategory(category, "category");
}
