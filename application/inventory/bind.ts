/** The inventory use cases (stock levels and warehouses), bound to their ports. */
import type { InventoryChange } from "../../domain/inventory/stock.ts";
import type { Warehouse, WarehouseChange } from "../../domain/inventory/warehouse.ts";
import type { InventoryStore, StockLevelQuery } from "../../ports/inventory/inventory.ts";
import type { Ports } from "../use_case_ports.ts";
import { withAvailabilityCache } from "./availability.ts";
import * as inventory from "./manage_inventory.ts";
import * as warehouses from "./warehouses.ts";

/** Shoppers' reads (product and cart paths): the availability cache first, when configured. */
export function shopperInventoryOf(p: Ports): InventoryStore {
  return p.availability
    ? withAvailabilityCache(p.inventory, p.availability, p.logger)
    : p.inventory;
}

export function bindInventory(p: Ports) {
  return {
    listInventory: (query: StockLevelQuery) => inventory.listInventory(p, query),
    adjustInventory: (sku: string, change: InventoryChange) =>
      inventory.adjustInventory(p, sku, change),
    listWarehouses: () => warehouses.listWarehouses(p),
    createWarehouse: (input: Omit<Warehouse, "active"> & { active?: boolean }) =>
      warehouses.createWarehouse(p, input),
    updateWarehouse: (code: string, change: WarehouseChange) =>
      warehouses.updateWarehouse(p, code, change),
  };
}
