/** The tax table's administration use cases, bound to their ports. */
import type { Ports } from "../use_case_ports.ts";
import * as tax from "./manage_tax.ts";

export function bindTax(p: Ports) {
  return {
    listTaxRates: () => tax.listTaxRates(p),
    getTaxRate: (id: string) => tax.getTaxRate(p, id),
    createTaxRate: (input: tax.TaxRateInput) => tax.createTaxRate(p, input),
    updateTaxRate: (id: string, patch: Partial<tax.TaxRateInput>) =>
      tax.updateTaxRate(p, id, patch),
    deleteTaxRate: (id: string) => tax.deleteTaxRate(p, id),
  };
}
