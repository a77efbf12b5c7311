/** Admin management of the tax table. */
import { NotFound } from "../../domain/errors.ts";
import type { TaxRate } from "../../domain/tax/tax.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { StoredTaxRate, TaxRates } from "../../ports/tax/tax_rates.ts";

export interface TaxDeps {
  readonly taxRates: TaxRates;
  readonly ids: IdGenerator;
}

export type TaxRateInput = Omit<TaxRate, "region"> & { region?: string | null };

export function listTaxRates(deps: TaxDeps): Promise<StoredTaxRate[]> {
  return deps.taxRates.list();
}

export async function getTaxRate(deps: TaxDeps, id: string): Promise<StoredTaxRate> {
  const found = await deps.taxRates.get(id);
  if (!found) throw new NotFound("tax rate", id);
  return found;
}

export function createTaxRate(deps: TaxDeps, input: TaxRateInput): Promise<StoredTaxRate> {
  return deps.taxRates.create({ ...input, region: input.region ?? null, id: deps.ids.id() });
}

export async function updateTaxRate(
  deps: TaxDeps,
  id: string,
  patch: Partial<TaxRateInput>,
): Promise<StoredTaxRate> {
  const found = await getTaxRate(deps, id);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return deps.taxRates.replace({ ...found, ...defined });
}

export async function deleteTaxRate(deps: TaxDeps, id: string): Promise<void> {
  if (!(await deps.taxRates.remove(id))) throw new NotFound("tax rate", id);
}
