import { z } from "zod";
import {
  cents,
  count,
  doc,
  isoDateTime,
  Label,
  pageOf,
  PageQuery,
  priceInput,
  Sku,
} from "./_common.ts";

// ---- Inventory and warehouses ----

const WarehouseCode = doc(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), {
  description: "Warehouse code: 1-64 lowercase letters, digits, `-` or `_`.",
  examples: ["main"],
});

export const StockRow = doc(
  z.object({
    sku: z.string(),
    warehouse: z.string(),
    stock: count(),
    reserved: count().describe("Units held there by pending orders."),
    available: count().describe("stock - reserved"),
    lowStockThreshold: count().describe("`lowStock=true` lists the row at or below this."),
  }),
  { id: "StockRow" },
);

export const InventoryItem = doc(
  z.object({
    sku: z.string(),
    name: z.string(),
    unitPriceCents: cents("Unit price in cents."),
    currency: z.string(),
    stock: count().describe("Sum over active warehouses."),
    reserved: count().describe("Units held by pending orders, over active warehouses."),
    available: count().describe("stock - reserved"),
    active: z.boolean().describe("False once the product is deleted."),
    publishedAt: isoDateTime(
      "Checkout's copy of the product's publication time: sold only from then on; null: a draft.",
    ).nullable(),
    updatedAt: isoDateTime("Last change."),
    warehouses: z.array(StockRow).describe("The SKU's row in each warehouse that has one."),
  }),
  { id: "InventoryItem" },
);

export const InventoryPage = pageOf(StockRow, "InventoryPage");

export const InventoryListQuery = z.object({
  sku: Sku.optional().describe("Only this SKU's rows."),
  warehouse: WarehouseCode.optional().describe("Only this warehouse's rows."),
  lowStock: doc(z.enum(["true", "false"]), {
    description:
      "true: only rows whose available units are at or below the row's own lowStockThreshold.",
  }).transform((v) => v === "true").optional(),
  ...PageQuery.shape,
});

const STOCK_MAX = 1_000_000_000;

export const AdjustInventoryRequest = doc(
  z.strictObject({
    warehouse: WarehouseCode.optional().describe(
      "The warehouse whose row `stock`, `delta` and `lowStockThreshold` change; default `main`.",
    ),
    stock: z.int().min(0).max(STOCK_MAX).optional().describe("Absolute stock there."),
    delta: z.int().min(-STOCK_MAX).max(STOCK_MAX).optional()
      .describe("Relative change there; exclusive with `stock`."),
    lowStockThreshold: z.int().min(0).max(STOCK_MAX).optional()
      .describe("The row's low-stock threshold."),
    unitPriceCents: priceInput("New unit price in cents (per SKU).").optional(),
  }).refine(
    (b) =>
      b.stock !== undefined || b.delta !== undefined || b.unitPriceCents !== undefined ||
      b.lowStockThreshold !== undefined,
    { message: "give at least one of stock, delta, lowStockThreshold, unitPriceCents" },
  ).refine((b) => b.stock === undefined || b.delta === undefined, {
    message: "give either stock or delta, not both",
    path: ["delta"],
  }).refine(
    (b) =>
      b.warehouse === undefined || b.stock !== undefined || b.delta !== undefined ||
      b.lowStockThreshold !== undefined,
    {
      message: "warehouse names the row stock, delta or lowStockThreshold change; give one",
      path: ["warehouse"],
    },
  ),
  { id: "AdjustInventoryRequest" },
);

export const Warehouse = doc(
  z.object({
    code: z.string(),
    name: z.string(),
    country: z.string(),
    priority: z.int().describe("Allocation order: smaller first, ties by code."),
    active: z.boolean().describe("Inactive: sells nothing, counts for no availability."),
  }),
  { id: "Warehouse" },
);

export const WarehouseList = doc(
  z.object({ items: z.array(Warehouse).describe("By priority, then code.") }),
  { id: "WarehouseList" },
);

const Country = doc(z.string().regex(/^[A-Z]{2}$/), {
  description: "ISO 3166-1 alpha-2 country code.",
  examples: ["US"],
});
const Priority = z.int().min(-1_000_000).max(1_000_000);

export const CreateWarehouseRequest = doc(
  z.strictObject({
    code: WarehouseCode,
    name: Label(200),
    country: Country,
    priority: Priority.describe("Allocation order: smaller first."),
    active: z.boolean().optional().describe("Default true."),
  }),
  { id: "CreateWarehouseRequest" },
);

export const UpdateWarehouseRequest = doc(
  z.strictObject({
    name: Label(200).optional(),
    country: Country.optional(),
    priority: Priority.optional(),
    active: z.boolean().optional().describe(
      "false deactivates: its stock leaves availability and new allocations; pending " +
        "allocations there stay until paid, cancelled or expired.",
    ),
  }).refine((b) => Object.keys(b).length > 0, {
    message: "give at least one of name, country, priority, active",
  }),
  { id: "UpdateWarehouseRequest", description: "Any subset of the warehouse's fields." },
);

export const WarehouseParams = z.object({ code: WarehouseCode });
