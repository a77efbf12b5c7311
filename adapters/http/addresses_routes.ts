/** The caller's address book under /me/addresses; another user's address is 404. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import type { Address as AddressModel } from "../../domain/identity/address.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import {
  Address,
  AddressList,
  CreateAddressRequest,
  IdParams,
  UpdateAddressRequest,
} from "./schemas/checkout.ts";

const TAG = "Addresses";
const DEFAULTS = "At most one address is the default shipping one and one the default " +
  "billing one: flagging another clears the previous default in the same step.";

const list = route({
  tag: TAG,
  summary: "The caller's addresses",
  access: "user",
  success: { status: 200, description: "Oldest first.", schema: AddressList },
});

const get = route({
  tag: TAG,
  summary: "One of the caller's addresses",
  access: "user",
  params: IdParams,
  success: { status: 200, description: "The address.", schema: Address },
  problems: ["not_found"],
});

const create = route({
  tag: TAG,
  summary: "Add an address",
  description: DEFAULTS,
  access: "user",
  body: CreateAddressRequest,
  success: { status: 201, description: "The new address.", schema: Address },
});

const update = route({
  tag: TAG,
  summary: "Change an address",
  description: DEFAULTS,
  access: "user",
  params: IdParams,
  body: UpdateAddressRequest,
  success: { status: 200, description: "The address after the change.", schema: Address },
  problems: ["not_found"],
});

const remove = route({
  tag: TAG,
  summary: "Delete an address",
  access: "user",
  params: IdParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found"],
});

export function addressJson(a: AddressModel) {
  const { userId: _owner, ...rest } = a;
  return rest;
}

export function addressesRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", list.guard, async (c) => {
      const items = await useCases.listAddresses(principalOf(c).user.id);
      return c.json({ items: items.map(addressJson) }, 200);
    })
    .post("/", create.guard, async (c) => {
      const input = await create.body(c);
      return c.json(addressJson(await useCases.addAddress(principalOf(c).user.id, input)), 201);
    })
    .get("/:id", get.guard, async (c) => {
      const { id } = get.params(c);
      return c.json(addressJson(await useCases.getAddress(principalOf(c).user.id, id)), 200);
    })
    .patch("/:id", update.guard, async (c) => {
      const { id } = update.params(c);
      const patch = await update.body(c);
      const address = await useCases.updateAddress(principalOf(c).user.id, id, patch);
      return c.json(addressJson(address), 200);
    })
    .delete("/:id", remove.guard, async (c) => {
      const { id } = remove.params(c);
      await useCases.removeAddress(principalOf(c).user.id, id);
      return c.body(null, 204);
    });
}
