/** The tax table under /admin/tax. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import {
  CreateTaxRateRequest,
  IdParams,
  TaxRate,
  TaxRateList,
  UpdateTaxRateRequest,
} from "./schemas/checkout.ts";

const TAG = "Admin: tax";
const ONE = "One rate per (country, region); another is 409 `already_exists`.";

const list = route({
  tag: TAG,
  summary: "Tax rates",
  access: "admin",
  success: { status: 200, description: "Every rate.", schema: TaxRateList },
});
const get = route({
  tag: TAG,
  summary: "One tax rate",
  access: "admin",
  params: IdParams,
  success: { status: 200, description: "The rate.", schema: TaxRate },
  problems: ["not_found"],
});
const create = route({
  tag: TAG,
  summary: "Add a rate for a country or one of its regions",
  description: ONE,
  access: "admin",
  body: CreateTaxRateRequest,
  success: { status: 201, description: "The new rate.", schema: TaxRate },
  problems: ["already_exists"],
});
const update = route({
  tag: TAG,
  summary: "Change a rate",
  description: ONE,
  access: "admin",
  params: IdParams,
  body: UpdateTaxRateRequest,
  success: { status: 200, description: "The rate after the change.", schema: TaxRate },
  problems: ["not_found", "already_exists"],
});
const remove = route({
  tag: TAG,
  summary: "Delete a rate",
  access: "admin",
  params: IdParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found"],
});

export function adminTaxRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/rates", list.guard, async (c) => c.json({ items: await useCases.listTaxRates() }, 200))
    .post("/rates", create.guard, async (c) => {
      return c.json(await useCases.createTaxRate(await create.body(c)), 201);
    })
    .get("/rates/:id", get.guard, async (c) => {
      return c.json(await useCases.getTaxRate(get.params(c).id), 200);
    })
    .patch("/rates/:id", update.guard, async (c) => {
      const { id } = update.params(c);
      return c.json(await useCases.updateTaxRate(id, await update.body(c)), 200);
    })
    .delete("/rates/:id", remove.guard, async (c) => {
      await useCases.deleteTaxRate(remove.params(c).id);
      return c.body(null, 204);
    });
}
