/** The catalog use cases (products and the category tree), bound to their ports. */
import type { ProductQuery } from "../../domain/catalog/product.ts";
import type { PublicationStatus } from "../../domain/catalog/publication.ts";
import type { AvailabilityCache } from "../../ports/inventory/availability_cache.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import type { Ports, Settings, Shared } from "../use_case_ports.ts";
import * as categories from "./categories.ts";
import * as manageCatalog from "./manage_catalog.ts";
import { getProduct, listAdminProducts, listProducts } from "./products.ts";

export function bindProducts(
  p: Ports,
  { shopperInventory }: Shared,
  settings: Pick<Settings, "readReuseMs"> = {},
) {
  const readDeps = {
    catalog: p.catalog,
    inventory: shopperInventory,
    cache: p.cache,
    clock: p.clock,
    logger: p.logger,
  };
  // Catalog writes read and write the store itself, and a SKU whose price or stock they change
  // leaves the availability cache with its product view (the sync then refills both).
  const writeDeps = {
    ...readDeps,
    inventory: p.inventory,
    cache: p.availability ? alsoDropsAvailability(p.cache, p.availability) : p.cache,
    clock: p.clock,
    categories: p.categories,
    vendors: p.vendors,
  };
  return {
    /** Drafts and scheduled products are `NotFound` unless `includeUnpublished` (admins). */
    getProduct: (key: string, options: { includeUnpublished?: boolean } = {}) =>
      getProduct(readDeps, key, options),
    listProducts: (query: Omit<ProductQuery, "publication">) =>
      listProducts({ ...readDeps, reuseMs: settings.readReuseMs }, query),
    listAdminProducts: (
      query: Omit<ProductQuery, "publication"> & { status?: PublicationStatus },
    ) => listAdminProducts(readDeps, query),
    createProduct: (input: manageCatalog.NewProductInput) =>
      manageCatalog.createProduct(writeDeps, input),
    updateProduct: (sku: string, input: manageCatalog.ProductUpdateInput) =>
      manageCatalog.updateProduct(writeDeps, sku, input),
    deleteProduct: (sku: string) => manageCatalog.deleteProduct(writeDeps, sku),
  };
}

export function bindCategories(p: Ports) {
  const categoryDeps = {
    categories: p.categories,
    catalog: p.catalog,
    clock: p.clock,
    logger: p.logger,
  };
  return {
    categoryTree: () => categories.categoryTree(categoryDeps),
    getCategory: (slug: string) => categories.getCategory(categoryDeps, slug),
    createCategory: (input: categories.NewCategoryInput) =>
      categories.createCategory(categoryDeps, input),
    updateCategory: (slug: string, patch: categories.CategoryPatch) =>
      categories.updateCategory(categoryDeps, slug, patch),
    deleteCategory: (slug: string) => categories.deleteCategory(categoryDeps, slug),
  };
}

/** `cache`, whose `invalidate(sku)` also drops the SKU from the availability cache. */
function alsoDropsAvailability(cache: ProductCache, availability: AvailabilityCache): ProductCache {
  return {
    get: (key) => cache.get(key),
    set: (view, ttlMs) => cache.set(view, ttlMs),
    invalidate: async (sku) => {
      await Promise.all([cache.invalidate(sku), availability.invalidate(sku)]);
    },
  };
}
