/** Support: find orders by anything a customer quotes, read one in full, find customers. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { pageJson, userJson } from "./_views.ts";
import { supportOrderJson, supportPageJson } from "./_support_views.ts";
import { OrderIdParams } from "./schemas/orders.ts";
import {
  CustomerPage,
  CustomerSearchQuery,
  SupportOrder,
  SupportOrderPage,
  SupportOrderSearchQuery,
} from "./schemas/support.ts";

const searchOrders = route({
  tag: "Support",
  summary: "Find orders by id, email, customer or product name, SKU or payment reference",
  description: "Searches the `orders` index (Elasticsearch, fed from the PostgreSQL outbox: " +
    "as current as the sync's lag). `q` matches an id prefix, an email prefix, the " +
    "customer's or a product's name with typos tolerated, an exact SKU or payment reference " +
    "(case-insensitive); best matches first, then newest. `status` and `from`/`to` (placed " +
    "in [from, to)) narrow it.",
  access: "admin",
  query: SupportOrderSearchQuery,
  success: { status: 200, description: "A page of orders.", schema: SupportOrderPage },
  problems: ["dependency_unavailable"],
});

const getOrder = route({
  tag: "Support",
  summary: "One order in full, with every payment and its customer",
  description: "Read from PostgreSQL (the source), not from the search index.",
  access: "admin",
  params: OrderIdParams,
  success: { status: 200, description: "The order.", schema: SupportOrder },
  problems: ["not_found"],
});

const findCustomers = route({
  tag: "Support",
  summary: "Find customers by email or name",
  description: "`q` matches the start of an email or a part of the display name, " +
    "case-insensitively; newest accounts first.",
  access: "admin",
  query: CustomerSearchQuery,
  success: { status: 200, description: "A page of users.", schema: CustomerPage },
});

/** Mounted under /admin before the other admin routes (`/orders/search` before `/:id`). */
export function adminSupportRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/orders/search", searchOrders.guard, async (c) => {
      const found = await useCases.searchOrders(searchOrders.query(c));
      return c.json(supportPageJson(found), 200);
    })
    .get("/orders/:id", getOrder.guard, async (c) => {
      const record = await useCases.supportOrder(getOrder.params(c).id);
      return c.json(supportOrderJson(record), 200);
    })
    .get("/users", findCustomers.guard, async (c) => {
      const page = await useCases.findCustomers(findCustomers.query(c));
      return c.json(pageJson(page, userJson), 200);
    });
}
