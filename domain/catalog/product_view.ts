import type { Product } from "./product.ts";
import type { InventoryItem } from "../inventory/stock.ts";
import { available } from "../inventory/stock.ts";

export interface Availability {
  readonly available: number;
  readonly inStock: boolean;
}

/** A product as clients see it: catalog content, inventory price and availability. */
export interface ProductView extends Omit<Product, "version"> {
  readonly availability: Availability;
}

export function availabilityOf(item: InventoryItem | null): Availability {
  const units = item && item.active ? available(item) : 0;
  return { available: units, inStock: units > 0 };
}

export function toProductView(product: Product, item: InventoryItem | null): ProductView {
  const { version: _version, ...content } = product;
  return {
    ...content,
    priceCents: item?.unitPriceCents ?? product.priceCents,
    currency: item?.currency ?? product.currency,
    availability: availabilityOf(item),
  };
}
