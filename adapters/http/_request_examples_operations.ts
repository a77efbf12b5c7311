/** Request examples for operations (admin): inventory, warehouses, shipping and tax. */
import type { BodyExample } from "./_request_examples.ts";

type Examples = Readonly<Record<string, Readonly<Record<string, BodyExample>>>>;

/** Stock, prices and warehouses. */
export const INVENTORY_EXAMPLES: Examples = {
  "PATCH /admin/inventory/:sku": {
    delta: { summary: "Receive ten units in main", value: { warehouse: "main", delta: 10 } },
    stock: {
      summary: "Set the east warehouse's stock after a count",
      value: { warehouse: "east", stock: 42, lowStockThreshold: 5 },
    },
    price: { summary: "Change the unit price", value: { unitPriceCents: 119_900 } },
  },
  "POST /admin/warehouses": {
    west: {
      summary: "A third warehouse, tried after main and east",
      value: { code: "west", name: "West coast", country: "US", priority: 300 },
    },
  },
  "PATCH /admin/warehouses/:code": {
    deactivate: { summary: "Stop selling from east", value: { active: false } },
    reactivate: { summary: "Sell from east again, first", value: { active: true, priority: 10 } },
  },
};

/** Shipping zones and options, tax rates. */
export const DELIVERY_EXAMPLES: Examples = {
  "POST /admin/shipping/zones": {
    nordics: {
      summary: "A zone of three countries",
      value: { name: "Nordics", countries: ["SE", "NO", "DK"] },
    },
  },
  "PATCH /admin/shipping/zones/:id": {
    wider: {
      summary: "The EU zone ships to Italy and Spain too",
      value: { countries: ["DE", "FR", "NL", "AT", "BE", "IT", "ES"] },
    },
  },
  "POST /admin/shipping/options": {
    overnight: {
      summary: "Overnight in the US, never free",
      value: {
        zoneId: "zone-us",
        name: "Overnight",
        priceCents: 3_499,
        currency: "USD",
        freeOverCents: null,
        estimatedDays: { min: 1, max: 1 },
      },
    },
  },
  "PATCH /admin/shipping/options/:id": {
    threshold: { summary: "Free standard shipping from $50", value: { freeOverCents: 5_000 } },
  },
  "POST /admin/tax/rates": {
    texas: {
      summary: "Texas: 6.25 % on top of prices, shipping taxed",
      value: {
        country: "US",
        region: "TX",
        rateBasisPoints: 625,
        pricesIncludeTax: false,
        shippingTaxed: true,
      },
    },
  },
  "PATCH /admin/tax/rates/:id": {
    rate: { summary: "California's rate changes", value: { rateBasisPoints: 750 } },
  },
};
