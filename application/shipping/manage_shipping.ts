/** Admin management of shipping zones and options. */
import { NotFound } from "../../domain/errors.ts";
import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";

export interface ShippingDeps {
  readonly shipping: ShippingRates;
  readonly ids: IdGenerator;
}

export type ZoneInput = Omit<ShippingZone, "id">;
export type OptionInput = Omit<ShippingOption, "id" | "freeOverCents"> & {
  freeOverCents?: number | null;
};

export function createZone(deps: ShippingDeps, input: ZoneInput): Promise<ShippingZone> {
  return deps.shipping.createZone({ ...input, id: deps.ids.id() });
}

export async function updateZone(
  deps: ShippingDeps,
  id: string,
  patch: Partial<ZoneInput>,
): Promise<ShippingZone> {
  const found = await deps.shipping.zone(id);
  if (!found) throw new NotFound("shipping zone", id);
  return deps.shipping.replaceZone({ ...found, ...defined(patch) });
}

export async function deleteZone(deps: ShippingDeps, id: string): Promise<void> {
  if (!(await deps.shipping.deleteZone(id))) throw new NotFound("shipping zone", id);
}

export function createOption(deps: ShippingDeps, input: OptionInput): Promise<ShippingOption> {
  return deps.shipping.createOption({
    ...input,
    freeOverCents: input.freeOverCents ?? null,
    id: deps.ids.id(),
  });
}

export async function updateOption(
  deps: ShippingDeps,
  id: string,
  patch: Partial<OptionInput>,
): Promise<ShippingOption> {
  const found = await deps.shipping.option(id);
  if (!found) throw new NotFound("shipping option", id);
  return deps.shipping.replaceOption({ ...found, ...defined(patch) });
}

export async function deleteOption(deps: ShippingDeps, id: string): Promise<void> {
  if (!(await deps.shipping.deleteOption(id))) throw new NotFound("shipping option", id);
}

export async function getOption(deps: ShippingDeps, id: string): Promise<ShippingOption> {
  const found = await deps.shipping.option(id);
  if (!found) throw new NotFound("shipping option", id);
  return found;
}

export async function getZone(deps: ShippingDeps, id: string): Promise<ShippingZone> {
  const found = await deps.shipping.zone(id);
  if (!found) throw new NotFound("shipping zone", id);
  return found;
}

function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<
    T
  >;
}
