/** Administration of stock: levels per (SKU, warehouse), adjustments and the warehouses. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { inventoryJson, pageJson, stockRowJson, warehouseJson } from "./_views.ts";
import { SkuParams } from "./schemas/catalog.ts";
import {
  AdjustInventoryRequest,
  CreateWarehouseRequest,
  InventoryItem,
  InventoryListQuery,
  InventoryPage,
  UpdateWarehouseRequest,
  Warehouse,
  WarehouseList,
  WarehouseParams,
} from "./schemas/inventory.ts";

const listInventory = route({
  tag: "Admin",
  summary: "Stock levels per (SKU, warehouse)",
  description: "One row per SKU and warehouse, by SKU then warehouse; filter by `sku`, " +
    "`warehouse`, and `lowStock=true` (rows at or below their own lowStockThreshold).",
  access: "admin",
  query: InventoryListQuery,
  success: { status: 200, description: "A page of stock rows.", schema: InventoryPage },
});

const adjustInventory = route({
  tag: "Admin",
  summary: "Set or shift one warehouse's stock or threshold, or change the price",
  description: "`stock`, `delta` and `lowStockThreshold` change the row of `warehouse` " +
    "(default `main`; a warehouse without a row for the SKU starts at 0). The price is per " +
    "SKU. An unknown warehouse is 404.",
  access: "admin",
  params: SkuParams,
  body: AdjustInventoryRequest,
  success: {
    status: 200,
    description: "The SKU after the change: totals over active warehouses and each row.",
    schema: InventoryItem,
  },
  problems: ["not_found", "invalid_stock_level"],
});

const listWarehouses = route({
  tag: "Admin",
  summary: "Warehouses",
  access: "admin",
  success: { status: 200, description: "Every warehouse.", schema: WarehouseList },
});

const createWarehouse = route({
  tag: "Admin",
  summary: "Add a warehouse",
  description: "Stock is then set per SKU with `PATCH /admin/inventory/{sku}` and `warehouse`.",
  access: "admin",
  body: CreateWarehouseRequest,
  success: { status: 201, description: "The new warehouse.", schema: Warehouse },
  problems: ["already_exists"],
});

const updateWarehouse = route({
  tag: "Admin",
  summary: "Rename, reprioritise, deactivate or reactivate a warehouse",
  description: "Warehouses are never deleted. Deactivating takes the warehouse's stock out " +
    "of availability and new allocations; orders already allocated there keep their units.",
  access: "admin",
  params: WarehouseParams,
  body: UpdateWarehouseRequest,
  success: { status: 200, description: "The warehouse after the change.", schema: Warehouse },
  problems: ["not_found"],
});

export function adminInventoryRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/inventory", listInventory.guard, async (c) => {
      const page = await useCases.listInventory(listInventory.query(c));
      return c.json(pageJson(page, stockRowJson), 200);
    })
    .patch("/inventory/:sku", adjustInventory.guard, async (c) => {
      const { sku } = adjustInventory.params(c);
      const change = await adjustInventory.body(c);
      return c.json(inventoryJson(await useCases.adjustInventory(sku, change)), 200);
    })
    .get("/warehouses", listWarehouses.guard, async (c) => {
      const items = await useCases.listWarehouses();
      return c.json({ items: items.map(warehouseJson) }, 200);
    })
    .post("/warehouses", createWarehouse.guard, async (c) => {
      const input = await createWarehouse.body(c);
      return c.json(warehouseJson(await useCases.createWarehouse(input)), 201);
    })
    .patch("/warehouses/:code", updateWarehouse.guard, async (c) => {
      const { code } = updateWarehouse.params(c);
      const change = await updateWarehouse.body(c);
      return c.json(warehouseJson(await useCases.updateWarehouse(code, change)), 200);
    });
}
