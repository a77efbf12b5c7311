import { AlreadyExists, InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import {
  applyChange,
  discontinue,
  type InventoryChange,
  type InventoryItem,
  isValidLevel,
} from "../../domain/inventory/stock.ts";
import type { Page } from "../../domain/pagination.ts";
import type { InventoryListQuery, InventoryStore } from "../../ports/inventory/inventory.ts";
import { int, isUniqueViolation, pageBounds, type RetryOptions, transaction } from "./_db.ts";
import { inventoryColumns, lockInventory, toInventoryItem, writeInventory } from "./_rows.ts";
import type { Sql } from "./connect.ts";

/**
 * Stock and prices in the `inventory` table. Every change writes an `outbox` row in the same
 * transaction (the inventory change feed, see `PostgresOutboxFeed`). Changes lock the row
 * (`FOR UPDATE`) and compute the new level with the domain functions, so the rules are the
 * ones the in-memory fake applies; the table's CHECKs back them up.
 */
export class PostgresInventoryStore implements InventoryStore {
  constructor(private readonly sql: Sql, private readonly retry: RetryOptions = {}) {}

  async get(sku: string): Promise<InventoryItem | null> {
    const [row] = await this.sql`
      SELECT ${inventoryColumns(this.sql)}
      FROM inventory WHERE sku = ${sku}`;
    return row ? toInventoryItem(row) : null;
  }

  async getMany(skus: readonly string[]): Promise<InventoryItem[]> {
    if (skus.length === 0) return [];
    const rows = await this.sql`
      SELECT ${inventoryColumns(this.sql)}
      FROM inventory WHERE sku = ANY(${[...new Set(skus)]}::text[])
      ORDER BY sku`;
    return rows.map(toInventoryItem);
  }

  async list(query: InventoryListQuery): Promise<Page<InventoryItem>> {
    const { limit, offset } = pageBounds(query.page, query.size);
    const where = query.lowStock === undefined
      ? this.sql``
      : this.sql`WHERE stock - reserved <= ${query.lowStock}`;
    const [rows, [count]] = await Promise.all([
      this.sql`
        SELECT ${inventoryColumns(this.sql)}
        FROM inventory ${where}
        ORDER BY sku LIMIT ${limit} OFFSET ${offset}`,
      this.sql`SELECT count(*) AS total FROM inventory ${where}`,
    ]);
    return {
      items: rows.map(toInventoryItem),
      page: query.page,
      size: query.size,
      total: int.parse(count.total),
    };
  }

  async create(item: InventoryItem): Promise<InventoryItem> {
    if (!isValidLevel(item.stock, item.reserved)) {
      throw new InvalidStockLevel(item.sku, item.stock, item.reserved);
    }
    try {
      const [row] = await this.sql`
        WITH created AS (
          INSERT INTO inventory
            (sku, product_sku, variant_label, name, unit_price_cents, currency, stock, reserved,
             active, published_at, version, updated_at)
          VALUES (${item.sku}, ${item.productSku}, ${item.variantLabel}, ${item.name}, ${
        String(item.unitPriceCents)
      }, ${item.currency},
                  ${item.stock}, ${item.reserved}, ${item.active}, ${item.publishedAt},
                  ${String(item.version)}, ${item.updatedAt})
          RETURNING *
        ), logged AS (
          INSERT INTO outbox (source, sku, at) SELECT 'inventory', sku, updated_at FROM created
        )
        SELECT ${inventoryColumns(this.sql)}
        FROM created`;
      return toInventoryItem(row);
    } catch (error) {
      if (isUniqueViolation(error, "inventory_pkey")) {
        throw new AlreadyExists("inventory item", "sku", item.sku);
      }
      throw error;
    }
  }

  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem> {
    return this.#update(sku, (item) => applyChange(item, change, at));
  }

  discontinue(sku: string, at: Date): Promise<InventoryItem> {
    return this.#update(sku, (item) => discontinue(item, at));
  }

  #update(sku: string, change: (item: InventoryItem) => InventoryItem): Promise<InventoryItem> {
    return transaction(this.sql, async (tx) => {
      const item = (await lockInventory(tx, [sku])).get(sku);
      if (!item) throw new NotFound("inventory item", sku);
      const next = change(item);
      await writeInventory(tx, [next]);
      return { ...next, updatedAt: new Date(next.updatedAt) };
    }, this.retry);
  }
}
