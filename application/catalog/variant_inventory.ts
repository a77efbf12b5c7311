import type { Product } from "../../domain/catalog/product.ts";
import {
  resolveVariantPrice,
  type VariantInput,
  type VariantPlan,
} from "../../domain/catalog/variant.ts";
import { DuplicateSku } from "../../domain/errors.ts";
import type { InventoryChange, InventoryItem } from "../../domain/inventory/stock.ts";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import { DEFAULT_WAREHOUSE } from "../../domain/inventory/warehouse.ts";
import type { InventoryStore } from "../../ports/inventory/inventory.ts";
import type { Logger } from "../../ports/logger.ts";
import { bestEffort } from "../_best_effort.ts";

/**
 * The inventory side of a catalog write with variants. Catalog and inventory are two stores,
 * so every inventory step done records how to take it back; a later failure undoes them in
 * reverse (the catalog use case then puts the document back). Rows cannot be deleted, only
 * discontinued: an undone new row stays inactive (its SKU is burnt, never sold). Retiring is
 * the one step that cannot be taken back, so it runs last, after everything else succeeded.
 */
export class InventorySteps {
  readonly #undo: { readonly what: string; readonly run: () => Promise<unknown> }[] = [];

  constructor(
    private readonly inventory: InventoryStore,
    private readonly logger: Logger,
    private readonly now: Date,
  ) {}

  async create(item: InventoryItem): Promise<InventoryItem> {
    const created = await this.inventory.create(item);
    this.#undo.push({
      what: `discontinue ${item.sku} created by an undone write`,
      run: () => this.inventory.discontinue(item.sku, this.now),
    });
    return created;
  }

  /** Adjusts and remembers the inverse (a stock delta, so reservations made meanwhile hold). */
  async adjust(before: InventoryItem, change: InventoryChange): Promise<InventoryItem> {
    const after = await this.inventory.adjust(before.sku, change, this.now);
    this.#undo.push({
      what: `undo inventory change of ${before.sku}`,
      run: () =>
        this.inventory.adjust(before.sku, {
          // Totals are over active warehouses, so the difference is that row's change.
          ...(change.warehouse === undefined ? {} : { warehouse: change.warehouse }),
          delta: before.stock - after.stock,
          unitPriceCents: before.unitPriceCents,
          name: before.name,
          publishedAt: before.publishedAt,
          ...(before.variantLabel === null ? {} : { variantLabel: before.variantLabel }),
        }, this.now),
    });
    return after;
  }

  discontinue(sku: string): Promise<InventoryItem> {
    return this.inventory.discontinue(sku, this.now);
  }

  async undo(): Promise<void> {
    for (const step of this.#undo.reverse()) {
      await bestEffort(this.logger, step.what, step.run);
    }
  }
}

/**
 * Refuses SKUs that already have an inventory row (a product, a variant, a retired or deleted
 * one: SKUs are never reused), before anything is written.
 */
export async function assertSkusFree(
  inventory: InventoryStore,
  skus: readonly string[],
): Promise<void> {
  if (skus.length === 0) return;
  const taken = await inventory.getMany(skus);
  if (taken.length > 0) throw new DuplicateSku(taken.map((i) => i.sku).sort());
}

/** A new variant's row: named like its product, priced absolutely, published with it. */
export function variantItem(
  product: Pick<Product, "sku" | "name" | "currency" | "publishedAt">,
  input: VariantInput,
  basePriceCents: number,
  now: Date,
): InventoryItem {
  return newInventoryItem({
    sku: input.sku,
    productSku: product.sku,
    variantLabel: input.label,
    name: product.name,
    unitPriceCents: resolveVariantPrice(basePriceCents, input),
    currency: product.currency,
    // Created in the default warehouse; other warehouses' units follow (`warehouseSteps`).
    stock: input.stock ?? input.stockByWarehouse?.[DEFAULT_WAREHOUSE] ?? 0,
    publishedAt: product.publishedAt,
  }, now);
}

/**
 * The per-warehouse part of a variant's input: `{warehouseCode: units}` rows other than the
 * one given by `stock`, and the low-stock threshold (on each row written, else the default).
 */
function warehouseSteps(input: VariantInput, isNew: boolean): InventoryChange[] {
  const threshold = input.lowStockThreshold === undefined
    ? {}
    : { lowStockThreshold: input.lowStockThreshold };
  const units = Object.entries(input.stockByWarehouse ?? {})
    .filter(([code]) => !(isNew && code === DEFAULT_WAREHOUSE));
  const changes = units.map(([warehouse, stock]): InventoryChange => ({
    warehouse,
    stock,
    ...threshold,
  }));
  if (isNew && input.lowStockThreshold !== undefined) {
    changes.unshift({ warehouse: DEFAULT_WAREHOUSE, ...threshold });
  }
  if (!isNew && input.stock !== undefined) {
    changes.unshift({ warehouse: DEFAULT_WAREHOUSE, stock: input.stock, ...threshold });
  }
  if (!isNew && changes.length === 0 && input.lowStockThreshold !== undefined) {
    changes.push({ warehouse: DEFAULT_WAREHOUSE, ...threshold });
  }
  return changes;
}

/**
 * Brings the variant rows in line with a planned write: new rows for added variants, price and
 * stock for changed ones, name and publication for every live one when the product's changed,
 * and, last, retired variants discontinued. Returns every live variant row by SKU.
 */
export async function writeVariantRows(
  steps: InventorySteps,
  inventory: InventoryStore,
  after: Product,
  plan: VariantPlan,
  shared: { readonly name?: string; readonly publishedAt?: Date | null },
  basePriceCents: number,
  now: Date,
): Promise<Map<string, InventoryItem>> {
  const rows = new Map<string, InventoryItem>();
  const changed = new Map(plan.changed.map((v) => [v.sku, v]));
  const stored = await inventory.getMany(
    after.variants.filter((v) => !v.retired && !plan.added.some((a) => a.sku === v.sku))
      .map((v) => v.sku),
  );
  for (const row of stored) {
    const input = changed.get(row.sku);
    const change: InventoryChange = {
      ...(input?.priceCents !== undefined || input?.priceAdjustmentCents !== undefined
        ? { unitPriceCents: resolveVariantPrice(basePriceCents, input) }
        : {}),
      ...(input && input.label !== row.variantLabel ? { variantLabel: input.label } : {}),
      ...shared,
    };
    const touched = Object.values(change).some((v) => v !== undefined);
    let current = touched ? await steps.adjust(row, change) : row;
    for (const perWarehouse of input ? warehouseSteps(input, false) : []) {
      current = await steps.adjust(current, perWarehouse);
    }
    rows.set(row.sku, current);
  }
  for (const input of plan.added) {
    let current = await steps.create(variantItem(after, input, basePriceCents, now));
    // A new row's warehouses need no undo of their own: undoing the create discontinues it.
    for (const perWarehouse of warehouseSteps(input, true)) {
      current = await inventory.adjust(input.sku, perWarehouse, now);
    }
    rows.set(input.sku, current);
  }
  for (const sku of plan.retired) await steps.discontinue(sku);
  return rows;
}
