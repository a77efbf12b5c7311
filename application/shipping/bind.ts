/** The shipping administration use cases (zones and options), bound to their ports. */
import type { Ports } from "../use_case_ports.ts";
import * as shipping from "./manage_shipping.ts";

export function bindShipping(p: Ports) {
  return {
    listShippingZones: () => p.shipping.zones(),
    getShippingZone: (id: string) => shipping.getZone(p, id),
    createShippingZone: (input: shipping.ZoneInput) => shipping.createZone(p, input),
    updateShippingZone: (id: string, patch: Partial<shipping.ZoneInput>) =>
      shipping.updateZone(p, id, patch),
    deleteShippingZone: (id: string) => shipping.deleteZone(p, id),
    listShippingOptions: () => p.shipping.options(),
    getShippingOption: (id: string) => shipping.getOption(p, id),
    createShippingOption: (input: shipping.OptionInput) => shipping.createOption(p, input),
    updateShippingOption: (id: string, patch: Partial<shipping.OptionInput>) =>
      shipping.updateOption(p, id, patch),
    deleteShippingOption: (id: string) => shipping.deleteOption(p, id),
  };
}
