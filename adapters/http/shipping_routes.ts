/** Shipping zones and options under /admin/shipping, and the cart's options and quote. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { requiredCart } from "./_cart_owner.ts";
import { CartReadHeaders } from "./schemas/cart.ts";
import {
  CartQuote,
  CartQuoteQuery,
  CartShippingOptions,
  CartShippingOptionsQuery,
  CreateShippingOptionRequest,
  CreateShippingZoneRequest,
  IdParams,
  ShippingOption,
  ShippingOptionList,
  ShippingZone,
  ShippingZoneList,
  UpdateShippingOptionRequest,
  UpdateShippingZoneRequest,
} from "./schemas/checkout.ts";

const ADMIN = "Admin: shipping";

const listZones = route({
  tag: ADMIN,
  summary: "Shipping zones",
  access: "admin",
  success: { status: 200, description: "Every zone.", schema: ShippingZoneList },
});
const getZone = route({
  tag: ADMIN,
  summary: "One shipping zone",
  access: "admin",
  params: IdParams,
  success: { status: 200, description: "The zone.", schema: ShippingZone },
  problems: ["not_found"],
});
const createZone = route({
  tag: ADMIN,
  summary: "Add a shipping zone (a set of countries)",
  access: "admin",
  body: CreateShippingZoneRequest,
  success: { status: 201, description: "The new zone.", schema: ShippingZone },
});
const updateZone = route({
  tag: ADMIN,
  summary: "Rename a zone or change its countries",
  access: "admin",
  params: IdParams,
  body: UpdateShippingZoneRequest,
  success: { status: 200, description: "The zone after the change.", schema: ShippingZone },
  problems: ["not_found"],
});
const deleteZone = route({
  tag: ADMIN,
  summary: "Delete a zone and its options",
  access: "admin",
  params: IdParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found"],
});
const listOptions = route({
  tag: ADMIN,
  summary: "Shipping options",
  access: "admin",
  success: { status: 200, description: "Every option.", schema: ShippingOptionList },
});
const getOption = route({
  tag: ADMIN,
  summary: "One shipping option",
  access: "admin",
  params: IdParams,
  success: { status: 200, description: "The option.", schema: ShippingOption },
  problems: ["not_found"],
});
const createOption = route({
  tag: ADMIN,
  summary: "Add a shipping option to a zone",
  description: "An unknown `zoneId` is 404.",
  access: "admin",
  body: CreateShippingOptionRequest,
  success: { status: 201, description: "The new option.", schema: ShippingOption },
  problems: ["not_found"],
});
const updateOption = route({
  tag: ADMIN,
  summary: "Change a shipping option",
  access: "admin",
  params: IdParams,
  body: UpdateShippingOptionRequest,
  success: { status: 200, description: "The option after the change.", schema: ShippingOption },
  problems: ["not_found"],
});
const deleteOption = route({
  tag: ADMIN,
  summary: "Delete a shipping option",
  access: "admin",
  params: IdParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found"],
});

export function adminShippingRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/zones", listZones.guard, async (c) => {
      return c.json({ items: await useCases.listShippingZones() }, 200);
    })
    .post("/zones", createZone.guard, async (c) => {
      return c.json(await useCases.createShippingZone(await createZone.body(c)), 201);
    })
    .get("/zones/:id", getZone.guard, async (c) => {
      return c.json(await useCases.getShippingZone(getZone.params(c).id), 200);
    })
    .patch("/zones/:id", updateZone.guard, async (c) => {
      const { id } = updateZone.params(c);
      return c.json(await useCases.updateShippingZone(id, await updateZone.body(c)), 200);
    })
    .delete("/zones/:id", deleteZone.guard, async (c) => {
      await useCases.deleteShippingZone(deleteZone.params(c).id);
      return c.body(null, 204);
    })
    .get("/options", listOptions.guard, async (c) => {
      return c.json({ items: await useCases.listShippingOptions() }, 200);
    })
    .post("/options", createOption.guard, async (c) => {
      return c.json(await useCases.createShippingOption(await createOption.body(c)), 201);
    })
    .get("/options/:id", getOption.guard, async (c) => {
      return c.json(await useCases.getShippingOption(getOption.params(c).id), 200);
    })
    .patch("/options/:id", updateOption.guard, async (c) => {
      const { id } = updateOption.params(c);
      return c.json(await useCases.updateShippingOption(id, await updateOption.body(c)), 200);
    })
    .delete("/options/:id", deleteOption.guard, async (c) => {
      await useCases.deleteShippingOption(deleteOption.params(c).id);
      return c.body(null, 204);
    });
}

const GUESTS = "Signed in, the user's cart; otherwise the guest cart of `X-Cart-Token` " +
  "(404 `cart_not_found` when it names none; a guest has no addresses, so `addressId` is 404); " +
  "with neither, 401.";

const shippingOptions = route({
  tag: "Cart",
  summary: "The shipping options that apply to the cart, priced",
  description: "Options of every zone serving the country (given, or the address's), in the " +
    "cart's currency, with `priceCents` 0 once the subtotal reaches `freeOverCents`. " +
    GUESTS,
  access: "public",
  headers: CartReadHeaders,
  query: CartShippingOptionsQuery,
  success: { status: 200, description: "The options.", schema: CartShippingOptions },
  problems: ["unauthenticated", "not_found", "cart_not_found", "dependency_unavailable"],
});

const quote = route({
  tag: "Cart",
  summary: "What the cart costs delivered: subtotal, shipping, tax, total",
  description: "Tax comes from the table for the country (the region's rate when there is " +
    "one): per line, rounded half up to the cent, then summed. Orders will charge the same " +
    "computation. An option that does not serve the country is 422 `shipping_unavailable`. " +
    GUESTS,
  access: "public",
  headers: CartReadHeaders,
  query: CartQuoteQuery,
  success: { status: 200, description: "The quote.", schema: CartQuote },
  problems: [
    "unauthenticated",
    "not_found",
    "cart_not_found",
    "shipping_unavailable",
    "currency_mismatch",
    "dependency_unavailable",
  ],
});

export function cartCheckoutRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/shipping-options", shippingOptions.guard, async (c) => {
      const q = shippingOptions.query(c);
      const destination = q.addressId !== undefined
        ? { addressId: q.addressId }
        : { country: q.country! };
      const ref = await requiredCart(c, useCases);
      const found = await useCases.cartShippingOptions(ref, destination);
      const { options, ...rest } = found;
      return c.json({ ...rest, items: options }, 200);
    })
    .get("/quote", quote.guard, async (c) => {
      const q = quote.query(c);
      const destination = q.addressId !== undefined
        ? { addressId: q.addressId }
        : { country: q.country!, region: q.region ?? null };
      const result = await useCases.cartQuote(await requiredCart(c, useCases), {
        destination,
        shippingOptionId: q.shippingOptionId ?? null,
      });
      return c.json(result, 200);
    });
}
