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
    laptop: { summary: "One laptop", value: { sku: "LAP-001", qty: 1 } },
  },
  "PUT /cart/items/:sku": {
    two: { summary: "Two of them", value: { qty: 2 } },
    remove: { summary: "Remove the line", value: { qty: 0 } },
  },
  "POST /orders": {
    cart: { summary: "Order the cart's lines", value: {} },
    items: {
      summary: "Order these lines (the cart is left alone)",
      value: { items: [{ sku: "LAP-001", qty: 1 }, { sku: "PHN-002", qty: 2 }] },
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
  },
  "POST /admin/products": {
    laptop: {
      summary: "A laptop with one variant, published now",
      value: {
        sku: "LAP-900",
        name: "Polycart Book 14",
        category: "laptops",
        brand: "Polycart",
        description: "A 14-inch laptop for the examples.",
        images: ["https://img.polycart.example/LAP-900/1.jpg"],
        attrs: { cpu: "M3", ram_gb: 16, storage_gb: 512, screen_in: 14 },
        variants: [{ id: "LAP-900-V1", label: "16 GB / 512 GB", attrs: { ram_gb: 16 } }],
        tags: ["laptop", "14-inch"],
        priceCents: 129_900,
        currency: "USD",
        stock: 25,
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
};
