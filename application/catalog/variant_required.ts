import { hasVariants, liveVariants } from "../../domain/catalog/variant.ts";
import { VariantRequired } from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";

/**
 * On the path where a SKU was refused (never on the happy path): when it names a product sold
 * in variants, says so with the variant SKUs to choose from.
 */
export async function assertNotSoldInVariants(
  catalog: Pick<Catalog, "get">,
  sku: string,
): Promise<void> {
  const product = await catalog.get(sku);
  if (product && hasVariants(product)) {
    throw new VariantRequired(sku, liveVariants(product).map((v) => v.sku));
  }
}

/** The first of `skus` that names a product sold in variants throws `VariantRequired`. */
export async function assertNoneSoldInVariants(
  catalog: Pick<Catalog, "getMany">,
  skus: readonly string[],
): Promise<void> {
  for (const product of await catalog.getMany(skus)) {
    if (hasVariants(product)) {
      throw new VariantRequired(product.sku, liveVariants(product).map((v) => v.sku));
    }
  }
}
