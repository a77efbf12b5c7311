import type { Attrs, Product } from "../catalog/product.ts";
import { liveVariants } from "../catalog/variant.ts";
import type { InventoryItem } from "../inventory/stock.ts";
import { available } from "../inventory/stock.ts";

/** Attribute name -> the distinct values, as text, sorted. */
export type FacetAttrs = Readonly<Record<string, readonly string[]>>;

/** `attr.<name>=<value>` in a search: the attribute holds `value` (compared as text). */
export interface AttrEquals {
  readonly name: string;
  readonly value: string;
}

/**
 * One document per product: its own attribute values and every live variant's, merged per
 * name, so `attr.size=L` finds a t-shirt sold in L. Filters are checked per attribute (`size=L`
 * and `color=blue` may be met by two different variants of the product).
 */
export function facetAttrsOf(product: Pick<Product, "attrs" | "variants">): FacetAttrs {
  const values = new Map<string, Set<string>>();
  const add = (attrs: Attrs) => {
    for (const [name, value] of Object.entries(attrs)) {
      const set = values.get(name) ?? new Set();
      set.add(String(value));
      values.set(name, set);
    }
  };
  add(product.attrs);
  for (const v of liveVariants(product)) add(v.attrs);
  return Object.fromEntries(
    [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, set]) => [
      name,
      [...set].sort(),
    ]),
  );
}

/**
 * The attributes a product's facets count: those its category declares facetable (effective
 * definitions, `facetable`) that the product or a live variant holds a value for. A category
 * with no facetable attributes gives none.
 */
export function facetNamesOf(
  product: Pick<Product, "attrs" | "variants">,
  facetable: readonly string[],
): string[] {
  const held = facetAttrsOf(product);
  return facetable.filter((name) => (held[name]?.length ?? 0) > 0).sort();
}

export function matchesAttrEquals(attrs: FacetAttrs, filters: readonly AttrEquals[]): boolean {
  return filters.every((f) => attrs[f.name]?.includes(f.value) ?? false);
}

/**
 * Price, stock and version of a product sold in variants: the lowest live variant price, in
 * stock when any live variant is available, and the version summing the product's own row and
 * every variant row (retired ones too, so the sum only grows as any row changes).
 */
export function variantPricing(
  product: Pick<Product, "variants" | "version">,
  own: { readonly priceCents: number; readonly inStock: boolean; readonly version: number },
  rows: ReadonlyMap<string, InventoryItem>,
): { priceCents: number; inStock: boolean; version: number } {
  if (product.variants.length === 0) return own;
  const live = liveVariants(product).map((v) => rows.get(v.sku)).filter((r) => r !== undefined);
  const prices = live.filter((r) => r.active).map((r) => r.unitPriceCents);
  const versions = product.variants.reduce((sum, v) => sum + (rows.get(v.sku)?.version ?? 0), 0);
  return {
    priceCents: prices.length > 0 ? Math.min(...prices) : own.priceCents,
    inStock: live.some((r) => r.active && available(r) > 0),
    version: own.version + versions,
  };
}

/** Facet counts per attribute over `docs`, restricted to `names` when given. */
export function attrFacetCounts(
  docs: readonly { readonly facetAttrs: FacetAttrs; readonly facetNames: readonly string[] }[],
  names?: readonly string[],
): Record<string, { value: string; count: number }[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const doc of docs) {
    for (const name of doc.facetNames) {
      const values = doc.facetAttrs[name] ?? [];
      if (names !== undefined && !names.includes(name)) continue;
      const byValue = counts.get(name) ?? new Map<string, number>();
      for (const value of values) byValue.set(value, (byValue.get(value) ?? 0) + 1);
      counts.set(name, byValue);
    }
  }
  return Object.fromEntries(
    [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, byValue]) => [
      name,
      [...byValue].map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
    ]),
  );
}
