/** Administration: catalog, inventory, order lifecycle, revenue and search operations. */
import { Hono } from "hono";
import type { VariantInput } from "../../domain/catalog/variant.ts";
import { NotFound } from "../../domain/errors.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { respondIdempotently } from "./_idempotent.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { ATTR_PREFIX, attrFiltersOf } from "./products_routes.ts";
import {
  adminOrderJson,
  dutiesJson,
  inventoryJson,
  orderJson,
  pageJson,
  productJson,
  reindexJobJson,
  revenueJson,
  stockRowJson,
  syncStatusJson,
  warehouseJson,
} from "./_views.ts";
import { IdempotencyHeaders } from "./schemas/_common.ts";
import {
  AdminOrderListQuery,
  AdminOrderPage,
  Duties,
  ReindexJob,
  Revenue,
  RevenueQuery,
  SyncStatus,
} from "./schemas/admin.ts";
import {
  AdminProductListQuery,
  AttrFilterParams,
  CreateProductRequest,
  Product,
  ProductPage,
  SkuParams,
  UpdateProductRequest,
} from "./schemas/catalog.ts";
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
import { Order, OrderIdParams } from "./schemas/orders.ts";

const listProducts = route({
  tag: "Admin",
  summary: "Every product, drafts and scheduled ones included",
  description: "`status` keeps one publication status at the server's clock: `draft` (no " +
    "publishedAt), `scheduled` (publishedAt later than now) or `published`. Browse filters " +
    "and sorts as `GET /products`.",
  access: "admin",
  query: AdminProductListQuery,
  queryPrefix: { prefix: ATTR_PREFIX, schema: AttrFilterParams },
  success: { status: 200, description: "A page of products.", schema: ProductPage },
  problems: ["dependency_unavailable"],
});

/** A variant as the body gives it; `stock` is a number or units per warehouse code. */
function variantInput(
  v: { stock?: number | Record<string, number> } & Omit<VariantInput, "stock">,
): VariantInput {
  const { stock, ...rest } = v;
  if (stock === undefined) return rest;
  return typeof stock === "number" ? { ...rest, stock } : { ...rest, stockByWarehouse: stock };
}

const createProduct = route({
  tag: "Admin",
  summary: "Create a product with its price and stock",
  description: "The product reaches search through the catalog change feed. `category` must " +
    "exist (else 400 unknown_category) and `attrs` must fit its effective attribute " +
    "definitions (else 400 invalid_attributes naming each `attrs.<name>`); the product gets " +
    "the category's `breadcrumbs`.",
  access: "admin",
  body: CreateProductRequest,
  success: { status: 201, description: "The new product.", schema: Product },
  problems: [
    "unknown_vendor",
    "already_exists",
    "invalid_stock_level",
    "unknown_category",
    "invalid_attributes",
    "duplicate_sku",
    "invalid_variant_price",
    "dependency_unavailable",
  ],
});

const updateProduct = route({
  tag: "Admin",
  summary: "Change a product's content, price or stock",
  access: "admin",
  params: SkuParams,
  body: UpdateProductRequest,
  success: { status: 200, description: "The updated product.", schema: Product },
  problems: [
    "unknown_vendor",
    "not_found",
    "already_exists",
    "invalid_stock_level",
    "unknown_category",
    "invalid_attributes",
    "duplicate_sku",
    "invalid_variant_price",
    "dependency_unavailable",
  ],
});

const deleteProduct = route({
  tag: "Admin",
  summary: "Stop selling a product and remove its content",
  description: "Inventory keeps the SKU (inactive) for order history; SKUs are never reused.",
  access: "admin",
  params: SkuParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found", "dependency_unavailable"],
});

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

const listOrders = route({
  tag: "Admin",
  summary: "Every customer's orders, newest first",
  access: "admin",
  query: AdminOrderListQuery,
  success: { status: 200, description: "A page of orders.", schema: AdminOrderPage },
});

const advance = (to: "shipped" | "delivered", summary: string) =>
  route({
    tag: "Admin",
    summary,
    access: "admin",
    params: OrderIdParams,
    success: { status: 200, description: `The ${to} order.`, schema: Order },
    problems: ["not_found", "invalid_transition"],
  });

const ship = advance("shipped", "Mark a confirmed order shipped");
const deliver = advance("delivered", "Mark a shipped order delivered");
const refund = route({
  tag: "Admin",
  summary: "Refund a paid order and restock it",
  description: "Returns the money through the provider that took it, restocks, marks the " +
    "payment refunded and takes back the order's loyalty points and best-seller units. With " +
    "an `Idempotency-Key`, a retry replays the first answer instead of refunding again.",
  access: "admin",
  headers: IdempotencyHeaders,
  params: OrderIdParams,
  success: {
    status: 200,
    description: "The refunded order.",
    schema: Order,
    headers: { "Idempotent-Replayed": "`true` when this is a replay of an earlier response." },
  },
  problems: [
    "not_found",
    "invalid_transition",
    "payment_gateway_error",
    "idempotency_key_mismatch",
    "idempotency_in_flight",
  ],
});

const revenue = route({
  tag: "Admin",
  summary: "Revenue report",
  description: "Orders paid in [from, to) (default: the last 30 days up to now), grouped by " +
    "UTC day, ISO week or month and by currency (two currencies are never added), with " +
    "totals per currency and the best-selling products. Refunded orders are counted as " +
    "refunds in the bucket they were paid in. Money in integer cents.",
  access: "admin",
  query: RevenueQuery,
  success: { status: 200, description: "Buckets, totals and top products.", schema: Revenue },
});

const startReindex = route({
  tag: "Admin",
  summary: "Rebuild the search index from the catalog",
  description: "Runs in the background and swaps the new index in atomically; searches keep " +
    "answering meanwhile. One rebuild runs at a time across every API instance and worker " +
    "(a lease in PostgreSQL): asking while one runs is 409 reindex_in_progress naming it.",
  access: "admin",
  success: { status: 202, description: "The reindex job.", schema: ReindexJob },
  problems: ["reindex_in_progress"],
});

const currentReindex = route({
  tag: "Admin",
  summary: "The latest reindex job",
  access: "admin",
  success: { status: 200, description: "The job.", schema: ReindexJob },
  problems: ["not_found"],
});

const syncStatus = route({
  tag: "Admin",
  summary: "Search sync lag and backlog",
  access: "admin",
  success: { status: 200, description: "Lag, checkpoint and pending changes.", schema: SyncStatus },
});

const duties = route({
  tag: "Admin",
  summary: "Who runs each background duty",
  description: "The expiry sweeper, the sync of each change feed, pruning and the search " +
    "rebuild each run in one instance at a time under a lease in PostgreSQL; this names the " +
    "holder of each (the same from every API instance).",
  access: "admin",
  success: { status: 200, description: "Every duty and its holder.", schema: Duties },
});

export function adminRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/products", listProducts.guard, async (c) => {
      const query = listProducts.query(c);
      const attrs = attrFiltersOf(listProducts.prefixed(c));
      const page = await useCases.listAdminProducts({ ...query, attrs });
      return c.json(pageJson(page, productJson), 200);
    })
    .post("/products", createProduct.guard, async (c) => {
      const { publishedAt, variants, ...input } = await createProduct.body(c);
      const product = await useCases.createProduct({
        ...input,
        variants: variants.map(variantInput),
        publishedAt: publishedAt === undefined || publishedAt === null
          ? publishedAt
          : new Date(publishedAt),
      });
      return c.json(productJson(product), 201);
    })
    .patch("/products/:sku", updateProduct.guard, async (c) => {
      const { sku } = updateProduct.params(c);
      const { publishedAt, variants, ...input } = await updateProduct.body(c);
      const product = await useCases.updateProduct(sku, {
        ...input,
        ...(variants === undefined ? {} : { variants: variants.map(variantInput) }),
        ...(publishedAt === undefined
          ? {}
          : { publishedAt: publishedAt === null ? null : new Date(publishedAt) }),
      });
      return c.json(productJson(product), 200);
    })
    .delete("/products/:sku", deleteProduct.guard, async (c) => {
      await useCases.deleteProduct(deleteProduct.params(c).sku);
      return c.body(null, 204);
    })
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
    })
    .get("/orders", listOrders.guard, async (c) => {
      const page = await useCases.listOrders(listOrders.query(c));
      return c.json(pageJson(page, adminOrderJson), 200);
    })
    .post("/orders/:id/ship", ship.guard, async (c) => {
      const { id } = ship.params(c);
      return c.json(orderJson(await useCases.advanceOrder({ orderId: id, to: "shipped" })), 200);
    })
    .post("/orders/:id/deliver", deliver.guard, async (c) => {
      const { id } = deliver.params(c);
      return c.json(orderJson(await useCases.advanceOrder({ orderId: id, to: "delivered" })), 200);
    })
    .post("/orders/:id/refund", refund.guard, async (c) => {
      const { id } = refund.params(c);
      const key = refund.headers(c)["Idempotency-Key"];
      const userId = principalOf(c).user.id;
      return await respondIdempotently(c, useCases, { userId, key }, async (run) => ({
        status: 200,
        body: orderJson(
          await useCases.refundOrder({ orderId: id, recovered: run?.recovered ?? false }),
        ),
      }));
    })
    .get("/analytics/revenue", revenue.guard, async (c) => {
      const { query, report } = await useCases.revenueReport(revenue.query(c));
      return c.json(revenueJson(query, report), 200);
    })
    .post("/search/reindex", startReindex.guard, async (c) => {
      return c.json(reindexJobJson(await useCases.startReindex()), 202);
    })
    .get("/search/reindex", currentReindex.guard, async (c) => {
      const job = await useCases.reindexJob();
      if (!job) throw new NotFound("reindex job", "current");
      return c.json(reindexJobJson(job), 200);
    })
    .get("/sync/status", syncStatus.guard, async (c) => {
      return c.json(syncStatusJson(await useCases.syncStatus()), 200);
    })
    .get("/duties", duties.guard, async (c) => {
      return c.json(dutiesJson(await useCases.duties()), 200);
    });
}
