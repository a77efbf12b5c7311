/**
 * Example request bodies for the reference, keyed by route as Hono mounts it ("PATCH
 * /admin/products/:sku"). /docs preloads the first into "Test Request", so each is a request
 * that works on the seeded in-memory store; openapi_test.ts checks that every one passes the
 * route's body schema, so they cannot drift from what the server accepts.
 */

export interface BodyExample {
  readonly summary: string;
  readonly value: unknown;
}

/** The account the register example creates and the login example opens a session for. */
const ADA = { email: "ada@example.com", password: "correct horse battery" };

export const REQUEST_EXAMPLES: Readonly<Record<string, Readonly<Record<string, BodyExample>>>> = {
  "POST /auth/register": {
    customer: {
      summary: "A customer account",
      value: { ...ADA, displayName: "Ada Lovelace" },
    },
  },
  "POST /auth/login": {
    customer: { summary: "The account the register example creates", value: ADA },
  },
  "POST /cart/items": {
    laptop: { summary: "One laptop (a variant SKU)", value: { sku: "LAP-001-32-1024", qty: 1 } },
  },
  "PUT /cart/items/:sku": {
    two: { summary: "Two of them", value: { qty: 2 } },
    remove: { summary: "Remove the line", value: { qty: 0 } },
  },
  "POST /orders": {
    cart: {
      summary: "Order the cart's lines to California (tax added), standard shipping",
      value: {
        shippingAddress: {
          name: "Ada Lovelace",
          line1: "1 Infinite Loop",
          city: "Cupertino",
          region: "CA",
          postalCode: "95014",
          country: "US",
        },
        shippingOptionId: "ship-us-standard",
      },
    },
    items: {
      summary: "Order these lines to Berlin (tax included), billed to London",
      value: {
        items: [{ sku: "LAP-001-32-1024", qty: 1 }, { sku: "PHN-002", qty: 2 }],
        shippingAddress: {
          name: "Grace Hopper",
          line1: "Unter den Linden 1",
          city: "Berlin",
          postalCode: "10117",
          country: "DE",
        },
        billingAddress: {
          name: "Grace Hopper",
          line1: "10 Downing Street",
          city: "London",
          postalCode: "SW1A 2AA",
          country: "GB",
        },
        shippingOptionId: "ship-eu-standard",
      },
    },
  },
  "POST /payments": {
    approved: {
      summary: "Pay with the test provider (approved)",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "test",
        paymentToken: "tok_visa",
      },
    },
    declined: {
      summary: "A card the test provider declines",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "test",
        paymentToken: "tok_declined",
      },
    },
    stripe: {
      summary: "Pay with Stripe (a PaymentMethod id from Stripe.js; needs STRIPE_SECRET_KEY)",
      value: {
        orderId: "0f8fad5b-d9cb-469f-a165-70867728950e",
        provider: "stripe",
        paymentMethod: "pm_card_visa",
      },
    },
  },
  "POST /admin/products": {
    laptop: {
      summary: "A laptop sold in two memory options (variant SKUs), published now",
      value: {
        sku: "LAP-900",
        name: "Polycart Book 14",
        category: "laptops",
        brand: "Polycart",
        description: "A 14-inch laptop for the examples.",
        images: ["https://img.polycart.example/LAP-900/1.jpg"],
        attrs: { cpu: "M3", ram_gb: 16, storage_gb: 512, screen_in: 14 },
        variants: [
          {
            sku: "LAP-900-16-512",
            label: "16 GB RAM / 512 GB SSD",
            attrs: { ram_gb: 16, storage_gb: 512 },
            stock: 25,
          },
          {
            sku: "LAP-900-32-1024",
            label: "32 GB RAM / 1 TB SSD",
            attrs: { ram_gb: 32, storage_gb: 1024 },
            priceAdjustmentCents: 40_000,
            stock: 10,
            lowStockThreshold: 3,
          },
        ],
        tags: ["laptop", "14-inch"],
        priceCents: 129_900,
        currency: "USD",
      },
    },
    draft: {
      summary: "An unpublished draft",
      value: {
        sku: "LAP-901",
        name: "Polycart Book 16",
        category: "laptops",
        brand: "Polycart",
        attrs: { cpu: "M3 Pro", screen_in: 16 },
        priceCents: 169_900,
        stock: 0,
        publishedAt: null,
      },
    },
  },
  "PATCH /admin/products/:sku": {
    price: { summary: "Change the price", value: { priceCents: 119_900 } },
    restock: { summary: "Add ten units", value: { stockDelta: 10 } },
    unpublish: { summary: "Unpublish", value: { publishedAt: null } },
    variants: {
      summary: "Reprice one variant, add one, retire the one left out",
      value: {
        variants: [
          {
            sku: "LAP-900-16-512",
            label: "16 GB RAM / 512 GB SSD",
            attrs: { ram_gb: 16, storage_gb: 512 },
            priceCents: 124_900,
          },
          {
            sku: "LAP-900-64-2048",
            label: "64 GB RAM / 2 TB SSD",
            attrs: { ram_gb: 64, storage_gb: 2048 },
            priceAdjustmentCents: 90_000,
            stock: 5,
          },
        ],
      },
    },
  },
  "POST /admin/categories": {
    child: {
      summary: "A child of laptops that adds an attribute",
      value: {
        slug: "gaming-laptops",
        name: "Gaming laptops",
        parent: "laptops",
        attributes: [{ name: "gpu", type: "string", required: true, facet: true }],
      },
    },
    root: {
      summary: "A root category with an enum attribute",
      value: {
        slug: "cookware",
        name: "Cookware",
        attributes: [{
          name: "material",
          type: "enum",
          values: ["steel", "cast-iron", "ceramic"],
          required: false,
          facet: true,
        }],
      },
    },
  },
  "PATCH /admin/categories/:slug": {
    rename: { summary: "Rename it", value: { name: "Gaming notebooks" } },
    move: { summary: "Move it (with its subtree)", value: { parent: "computers" } },
    attributes: {
      summary: "Replace its own attribute definitions",
      value: {
        attributes: [
          { name: "gpu", type: "string", required: true, facet: true },
          { name: "refresh_hz", type: "number", unit: "Hz", required: false, facet: true },
        ],
      },
    },
  },
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
  "POST /me/addresses": {
    home: {
      summary: "A default shipping and billing address in California",
      value: {
        name: "Ada Lovelace",
        line1: "1 Infinite Loop",
        city: "Cupertino",
        region: "CA",
        postalCode: "95014",
        country: "US",
        phone: "+1 408 555 0100",
        isDefaultShipping: true,
        isDefaultBilling: true,
      },
    },
  },
  "PATCH /me/addresses/:id": {
    line2: { summary: "Add a second line", value: { line2: "Building 2" } },
    billing: { summary: "Make it the default billing address", value: { isDefaultBilling: true } },
  },
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
