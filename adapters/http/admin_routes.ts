/**
 * Administration under /admin: catalog, inventory, order lifecycle, revenue and search
 * operations, one file per area, mounted here in this order.
 */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import type { AppEnv } from "./_route.ts";
import { adminProductsRoutes } from "./admin_products_routes.ts";
import { adminInventoryRoutes } from "./admin_inventory_routes.ts";
import { adminOrdersRoutes } from "./admin_orders_routes.ts";
import { adminOperationsRoutes } from "./admin_operations_routes.ts";

export function adminRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .route("/", adminProductsRoutes(useCases))
    .route("/", adminInventoryRoutes(useCases))
    .route("/", adminOrdersRoutes(useCases))
    .route("/", adminOperationsRoutes(useCases));
}
