import { AlreadyExists, InvalidStockLevel, NotFound } from "../../domain/errors.ts";
import {
  applyChange,
  discontinue,
  type InventoryChange,
  type InventoryItem,
  isValidLevel,
} from "../../domain/inventory/stock.ts";
import {
  applyLevelChange,
  applyWarehouseChange,
  DEFAULT_WAREHOUSE,
  emptyLevel,
  levelKey,
  type StockLevel,
  type Warehouse,
  type WarehouseChange,
} from "../../domain/inventory/warehouse.ts";
import type { Page } from "../../domain/pagination.ts";
import type {
  InventoryStore,
  StockLevelQuery,
  WarehouseStore,
} from "../../ports/inventory/inventory.ts";
import { int, isUniqueViolation, pageBounds, type RetryOptions, transaction } from "./_db.ts";
import { inventoryColumns, lockInventory, toInventoryItem, writeInventory } from "./_rows.ts";
import {
  lockLevels,
  readWarehouses,
  toStockLevel,
  totalsFrom,
  toWarehouse,
  writeLevels,
} from "./_stock_rows.ts";
import type { Sql } from "./connect.ts";

/**
 * Prices in `inventory`, stock per (SKU, warehouse) in `stock_levels`, and `warehouses`.
 * Every change writes an `outbox` row per affected SKU in the same transaction (the inventory
 * change feed, see `PostgresOutboxFeed`). Changes lock the SKU's inventory row, then its stock
 * rows (`FOR UPDATE`, the lock order the order store uses), and compute the new levels with the
 * domain functions, so the rules are the ones the in-memory fake applies; the tables' CHECKs
 * back them up.
 */
export class PostgresInventoryStore implements InventoryStore, WarehouseStore {
  constructor(private readonly sql: Sql, private readonly retry: RetryOptions = {}) {}

  async get(sku: string): Promise<InventoryItem | null> {
    const [row] = await this.sql`
      SELECT ${inventoryColumns(this.sql)} FROM inventory i WHERE i.sku = ${sku}`;
    return row ? toInventoryItem(row) : null;
  }

  async getMany(skus: readonly string[]): Promise<InventoryItem[]> {
    if (skus.length === 0) return [];
    const rows = await this.sql`
      SELECT ${inventoryColumns(this.sql)}
      FROM inventory i WHERE i.sku = ANY(${[...new Set(skus)]}::text[])
      ORDER BY i.sku`;
    return rows.map(toInventoryItem);
  }

  async levels(query: StockLevelQuery): Promise<Page<StockLevel>> {
    const { limit, offset } = pageBounds(query.page, query.size);
    const where = this.sql`
      WHERE true
      ${query.sku === undefined ? this.sql`` : this.sql`AND sku = ${query.sku}`}
      ${query.warehouse === undefined ? this.sql`` : this.sql`AND warehouse = ${query.warehouse}`}
      ${query.lowStock ? this.sql`AND stock - reserved <= low_stock_threshold` : this.sql``}`;
    const [rows, [count]] = await Promise.all([
      this.sql`
        SELECT sku, warehouse, stock, reserved, low_stock_threshold FROM stock_levels ${where}
        ORDER BY sku, warehouse LIMIT ${limit} OFFSET ${offset}`,
      this.sql`SELECT count(*) AS total FROM stock_levels ${where}`,
    ]);
    return {
      items: rows.map(toStockLevel),
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
      await this.sql`
        WITH created AS (
          INSERT INTO inventory
            (sku, product_sku, variant_label, name, unit_price_cents, currency, active,
             published_at, version, updated_at)
          VALUES (${item.sku}, ${item.productSku}, ${item.variantLabel}, ${item.name},
                  ${String(item.unitPriceCents)}, ${item.currency}, ${item.active},
                  ${item.publishedAt}, ${String(item.version)}, ${item.updatedAt})
          RETURNING sku, updated_at
        ), stocked AS (
          INSERT INTO stock_levels (sku, warehouse, stock, reserved)
          SELECT sku, ${DEFAULT_WAREHOUSE}, ${item.stock}, ${item.reserved} FROM created
        )
        INSERT INTO outbox (source, sku, at) SELECT 'inventory', sku, updated_at FROM created`;
    } catch (error) {
      if (isUniqueViolation(error, "inventory_pkey")) {
        throw new AlreadyExists("inventory item", "sku", item.sku);
      }
      throw error;
    }
    return (await this.get(item.sku))!;
  }

  adjust(sku: string, change: InventoryChange, at: Date): Promise<InventoryItem> {
    return transaction(this.sql, async (tx) => {
      const [items, levels, warehouses] = await Promise.all([
        lockInventory(tx, [sku], { totals: false }),
        lockLevels(tx, [sku]),
        readWarehouses(tx),
      ]);
      const item = items.get(sku);
      if (!item) throw new NotFound("inventory item", sku);
      const moved: StockLevel[] = [];
      if (
        change.stock !== undefined || change.delta !== undefined ||
        change.lowStockThreshold !== undefined
      ) {
        const code = change.warehouse ?? DEFAULT_WAREHOUSE;
        if (!warehouses.some((w) => w.code === code)) throw new NotFound("warehouse", code);
        const key = levelKey(sku, code);
        const level = applyLevelChange(levels.get(key) ?? emptyLevel(sku, code), change);
        levels.set(key, level);
        moved.push(level);
      }
      const next = { ...applyChange(item, change, at), ...totalsFrom(sku, levels, warehouses) };
      await Promise.all([writeInventory(tx, [next]), writeLevels(tx, moved)]);
      return { ...next, updatedAt: new Date(next.updatedAt) };
    }, this.retry);
  }

  discontinue(sku: string, at: Date): Promise<InventoryItem> {
    return transaction(this.sql, async (tx) => {
      const item = (await lockInventory(tx, [sku])).get(sku);
      if (!item) throw new NotFound("inventory item", sku);
      const next = discontinue(item, at);
      await writeInventory(tx, [next]);
      return { ...next, updatedAt: new Date(next.updatedAt) };
    }, this.retry);
  }

  listWarehouses(): Promise<Warehouse[]> {
    return readWarehouses(this.sql);
  }

  async createWarehouse(warehouse: Warehouse, at: Date): Promise<Warehouse> {
    try {
      const [row] = await this.sql`
        INSERT INTO warehouses (code, name, country, priority, active, created_at, updated_at)
        VALUES (${warehouse.code}, ${warehouse.name}, ${warehouse.country},
                ${warehouse.priority}, ${warehouse.active}, ${at}, ${at})
        RETURNING code, name, country, priority, active`;
      return toWarehouse(row);
    } catch (error) {
      if (isUniqueViolation(error, "warehouses_pkey")) {
        throw new AlreadyExists("warehouse", "code", warehouse.code);
      }
      throw error;
    }
  }

  /**
   * A change of `active` changes the availability of every SKU stocked there: each gets an
   * outbox row (and a version bump) in the same transaction, so the search sync and the
   * availability cache follow.
   */
  updateWarehouse(code: string, change: WarehouseChange, at: Date): Promise<Warehouse> {
    return transaction(this.sql, async (tx) => {
      const [row] = await tx`
        SELECT code, name, country, priority, active FROM warehouses WHERE code = ${code}
        FOR UPDATE`;
      if (!row) throw new NotFound("warehouse", code);
      const current = toWarehouse(row);
      const next = applyWarehouseChange(current, change);
      await tx`
        UPDATE warehouses SET name = ${next.name}, country = ${next.country},
          priority = ${next.priority}, active = ${next.active}, updated_at = ${at}
        WHERE code = ${code}`;
      if (next.active !== current.active) {
        // The SKUs' rows are locked in SKU order first, as every stock move locks them.
        await tx`
          WITH locked AS (
            SELECT i.sku FROM inventory i
            WHERE i.sku IN (SELECT l.sku FROM stock_levels l WHERE l.warehouse = ${code})
            ORDER BY i.sku FOR UPDATE OF i
          ), touched AS (
            UPDATE inventory i SET version = i.version + 1, updated_at = ${at}
            FROM locked WHERE locked.sku = i.sku
            RETURNING i.sku
          )
          INSERT INTO outbox (source, sku, at) SELECT 'inventory', sku, ${at} FROM touched`;
      }
      return next;
    }, this.retry);
  }
}
