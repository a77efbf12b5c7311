import type { Attrs, Product } from "../../domain/catalog/product.ts";
import { NO_RATINGS } from "../../domain/reviews/review.ts";
import {
  assertDistinctSkus,
  hasVariants,
  planVariants,
  resolveVariantPrice,
  type VariantInput,
} from "../../domain/catalog/variant.ts";
import { assertSkusFree, InventorySteps, writeVariantRows } from "./variant_inventory.ts";
import { slugify } from "../../domain/catalog/product.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { toProductView } from "../../domain/catalog/product_view.ts";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import { DEFAULT_CURRENCY } from "../../domain/money.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import type { Clock } from "../../ports/clock.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import type { ProductCache } from "../../ports/catalog/product_cache.ts";
import { bestEffort } from "../_best_effort.ts";
import { categorize, confirmCategory } from "./categorize.ts";
import type { Vendors } from "../../ports/vendors/vendors.ts";
import { confirmVendor, vendorOf } from "../vendors/assign_vendor.ts";

export interface CatalogWriteDeps {
  readonly catalog: Catalog;
  readonly inventory: InventoryStore;
  readonly cache: ProductCache;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The category a product names must exist; its attributes must fit the definitions. */
  readonly categories: Categories;
  /** A product's `vendorId` must name an existing vendor (absent: none may be named). */
  readonly vendors?: Vendors;
}

export interface NewProductInput {
  readonly sku: string;
  readonly name: string;
  readonly slug?: string;
  readonly category: string;
  readonly brand: string;
  readonly description: string;
  readonly images: readonly string[];
  readonly attrs: Attrs;
  /** Sellable SKUs; given, the product is sold only through them (see `variant.ts`). */
  readonly variants: readonly VariantInput[];
  readonly tags: readonly string[];
  readonly priceCents: number;
  readonly currency?: string;
  readonly stock: number;
  readonly publishedAt?: Date | null;
  /** The vendor selling it (absent: the shop itself). */
  readonly vendorId?: string;
}

export type ProductUpdateInput =
  & Partial<Omit<NewProductInput, "sku" | "stock" | "currency" | "vendorId">>
  & {
    readonly stock?: number;
    readonly stockDelta?: number;
    /** Another vendor; null: sold by the shop itself. */
    readonly vendorId?: string | null;
  };

/**
 * Creates the catalog document, then the inventory rows (carrying copies of the name, price
 * and `publishedAt`): the product's own, inactive when it has variants, and one per variant.
 * The two live in different stores, so a failure of the second undoes the first (and the rows
 * already created are discontinued): no half-created product stays on sale.
 * SKUs are never reused: a SKU that ever had inventory is refused.
 */
export async function createProduct(
  deps: CatalogWriteDeps,
  input: NewProductInput,
): Promise<ProductView> {
  const now = deps.clock.now();
  const currency = input.currency ?? DEFAULT_CURRENCY;
  const placement = await categorize(
    deps.categories,
    input.category,
    input.attrs,
    input.variants.map((v) => v.attrs),
  );
  const vendor = await vendorOf(deps.vendors, input.vendorId);
  const product: Product = {
    sku: input.sku,
    name: input.name,
    slug: input.slug ?? slugify(input.name),
    category: input.category,
    brand: input.brand,
    description: input.description,
    images: input.images,
    attrs: input.attrs,
    variants: input.variants.map((v) => ({
      sku: v.sku,
      label: v.label,
      attrs: v.attrs,
      retired: false,
    })),
    tags: input.tags,
    ratings: NO_RATINGS,
    priceCents: input.priceCents,
    currency,
    publishedAt: input.publishedAt === undefined ? now : input.publishedAt,
    updatedAt: now,
    version: 1,
    ...placement,
    ...vendor,
  };
  // Checked first so the common refusal never touches the catalog (an undone catalog create
  // leaves a search tombstone behind until the next reindex).
  assertDistinctSkus(input.sku, input.variants);
  for (const v of input.variants) resolveVariantPrice(input.priceCents, v);
  if (await deps.inventory.get(input.sku)) {
    throw new AlreadyExists("inventory item", "sku", input.sku);
  }
  await assertSkusFree(deps.inventory, input.variants.map((v) => v.sku));
  const stored = await deps.catalog.create(product);
  const steps = new InventorySteps(deps.inventory, deps.logger, now);
  try {
    await confirmCategory(deps.categories, input.category);
    await confirmVendor(deps.vendors, input.vendorId);
    // With variants, the product's own row is inactive: it holds the base price and the SKU.
    const own = newInventoryItem({
      sku: input.sku,
      name: input.name,
      unitPriceCents: input.priceCents,
      currency,
      stock: input.stock,
      publishedAt: product.publishedAt,
    }, now);
    const item = await steps.create({ ...own, active: !hasVariants(product) });
    const rows = await writeVariantRows(
      steps,
      deps.inventory,
      stored,
      planVariants({ sku: stored.sku, variants: [] }, input.variants),
      {},
      input.priceCents,
      now,
    );
    return toProductView(stored, item, rows);
  } catch (error) {
    await steps.undo();
    await bestEffort(
      deps.logger,
      `undo catalog create of ${input.sku}`,
      () => deps.catalog.delete(input.sku),
    );
    throw error;
  }
}

/**
 * Updates content in the catalog and price/stock in inventory. When the inventory change is
 * refused, the catalog document is put back as it was.
 */
export async function updateProduct(
  deps: CatalogWriteDeps,
  sku: string,
  input: ProductUpdateInput,
): Promise<ProductView> {
  const before = await deps.catalog.get(sku);
  if (!before) throw new NotFound("product", sku);
  const now = deps.clock.now();
  const { stock, stockDelta, variants, vendorId, ...content } = input;
  const plan = variants === undefined ? null : planVariants(before, variants);
  const own = await deps.inventory.get(sku);
  const basePriceCents = content.priceCents ?? own?.unitPriceCents ?? before.priceCents;
  for (const v of [...(plan?.added ?? []), ...(plan?.changed ?? [])]) {
    resolveVariantPrice(basePriceCents, v);
  }
  await assertSkusFree(deps.inventory, plan?.added.map((v) => v.sku) ?? []);
  const slug = content.slug ?? before.slug;
  // A new category, new attributes or new variants are checked against the tree; other edits
  // are not (a definition added to the category later does not block a price change).
  const placement =
    content.category !== undefined || content.attrs !== undefined || variants !== undefined
      ? await categorize(
        deps.categories,
        content.category ?? before.category,
        content.attrs ?? before.attrs,
        (variants ?? before.variants.filter((v) => !v.retired)).map((v) => v.attrs),
      )
      : {};
  const vendor = vendorId === undefined
    ? {}
    : vendorId === null
    ? { vendorId: undefined, vendor: undefined }
    : await vendorOf(deps.vendors, vendorId);
  const steps = new InventorySteps(deps.inventory, deps.logger, now);
  const after = await deps.catalog.replace({
    ...before,
    ...content,
    ...placement,
    ...vendor,
    variants: plan?.variants ?? before.variants,
    slug,
    publishedAt: content.publishedAt === undefined ? before.publishedAt : content.publishedAt,
    updatedAt: now,
  });
  try {
    if (vendorId) await confirmVendor(deps.vendors, vendorId);
    // Inventory keeps a copy of publishedAt so checkout refuses unpublished SKUs from
    // PostgreSQL alone, the way it keeps the name and price.
    const touchesInventory = stock !== undefined || stockDelta !== undefined ||
      content.priceCents !== undefined || content.name !== undefined ||
      content.publishedAt !== undefined;
    if (touchesInventory && !own) throw new NotFound("inventory item", sku);
    let item = touchesInventory && own
      ? await steps.adjust(own, {
        stock,
        delta: stockDelta,
        unitPriceCents: content.priceCents,
        name: content.name,
        publishedAt: content.publishedAt,
      })
      : own;
    const rows = hasVariants(after)
      ? await writeVariantRows(
        steps,
        deps.inventory,
        after,
        plan ?? { variants: after.variants, added: [], changed: [], retired: [] },
        { name: content.name, publishedAt: content.publishedAt },
        basePriceCents,
        now,
      )
      : new Map();
    // Sold only through its variants from now on (last: a discontinue cannot be undone).
    if (item?.active && hasVariants(after)) item = await steps.discontinue(sku);
    // The product's view, and each variant SKU's cached entries (availability: its price).
    for (const key of [sku, ...rows.keys()]) {
      await bestEffort(
        deps.logger,
        `invalidate cache for ${key}`,
        () => deps.cache.invalidate(key),
      );
    }
    return toProductView(after, item, rows);
  } catch (error) {
    await steps.undo();
    await bestEffort(deps.logger, `undo catalog update of ${sku}`, async () => {
      const current = await deps.catalog.get(sku);
      if (current) {
        await deps.catalog.replace({
          ...before,
          version: current.version,
          updatedAt: deps.clock.now(),
        });
      }
    });
    throw error;
  }
}

/** Stops selling first (inventory), then removes the content; order history keeps its snapshots. */
export async function deleteProduct(deps: CatalogWriteDeps, sku: string): Promise<void> {
  const product = await deps.catalog.get(sku);
  const item = await deps.inventory.get(sku);
  if (!product && (!item || !item.active)) throw new NotFound("product", sku);
  if (item?.active) await deps.inventory.discontinue(sku, deps.clock.now());
  // Variants stop being sold with their product; their rows stay for order history.
  const variantRows = await deps.inventory.getMany(product?.variants.map((v) => v.sku) ?? []);
  for (const row of variantRows) {
    if (row.active) await deps.inventory.discontinue(row.sku, deps.clock.now());
  }
  if (product) await deps.catalog.delete(sku);
  await bestEffort(deps.logger, `invalidate cache for ${sku}`, () => deps.cache.invalidate(sku));
}
