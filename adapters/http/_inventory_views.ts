/** Inventory answers to JSON, field by field (see _views.ts): items, stock rows, warehouses. */
import type {
  InventoryView,
  StockLevelView,
} from "../../application/inventory/manage_inventory.ts";
import type { Warehouse as DomainWarehouse } from "../../domain/inventory/warehouse.ts";
import { iso, isoOrNull, type Json } from "./_view_helpers.ts";
import type * as S from "./schemas.ts";

export function inventoryJson(item: InventoryView): Json<typeof S.InventoryItem> {
  return {
    sku: item.sku,
    name: item.name,
    unitPriceCents: item.unitPriceCents,
    currency: item.currency,
    stock: item.stock,
    reserved: item.reserved,
    available: item.available,
    active: item.active,
    publishedAt: isoOrNull(item.publishedAt),
    updatedAt: iso(item.updatedAt),
    warehouses: item.warehouses.map(stockRowJson),
  };
}

export function stockRowJson(row: StockLevelView): Json<typeof S.StockRow> {
  return {
    sku: row.sku,
    warehouse: row.warehouse,
    stock: row.stock,
    reserved: row.reserved,
    available: row.available,
    lowStockThreshold: row.lowStockThreshold,
  };
}

export function warehouseJson(w: DomainWarehouse): Json<typeof S.Warehouse> {
  return { code: w.code, name: w.name, country: w.country, priority: w.priority, active: w.active };
}
