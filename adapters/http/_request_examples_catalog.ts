/** Request examples for the catalog: products, categories, vendors (admin) and reviews. */
import type { BodyExample } from "./_request_examples.ts";

type Examples = Readonly<Record<string, Readonly<Record<string, BodyExample>>>>;

/** Products, categories and vendors, as an admin manages them. */
export const CATALOG_EXAMPLES: Examples = {
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
        vendorId: "vnd-northwind",
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
  "POST /admin/vendors": {
    winery: {
      summary: "A winery with category-specific details kept as given",
      value: {
        slug: "weingut-sonnenhang",
        businessName: "Weingut Sonnenhang",
        description: "Riesling from the steep slopes of the Mosel.",
        contactInfo: {
          email: "kontakt@sonnenhang.example",
          phone: "+49 6531 555 010",
          website: "https://sonnenhang.example",
          address: {
            line1: "Uferallee 12",
            city: "Bernkastel-Kues",
            postalCode: "54470",
            country: "DE",
          },
        },
        certifications: [{ name: "EU Organic", issuer: "DE-ÖKO-039", validUntil: "2027-06-30" }],
        details: {
          appellation: "Mosel",
          vineyards: [{ name: "Sonnenuhr", hectares: 2.5, grape: "Riesling" }],
          tastingRoom: { open: true, days: ["Sat", "Sun"] },
        },
      },
    },
  },
  "PATCH /admin/vendors/:slug": {
    rename: {
      summary: "Rename it (its products and search follow through the vendor feed)",
      value: { businessName: "Weingut Sonnenhang & Söhne" },
    },
    certify: {
      summary: "Replace its certifications",
      value: { certifications: [{ name: "EU Organic" }, { name: "Fair'n Green" }] },
    },
  },
};

/** A customer's review of a product. */
export const REVIEW_EXAMPLES: Examples = {
  "POST /products/:sku/reviews": {
    praise: {
      summary: "Five stars",
      value: {
        rating: 5,
        title: "Fast and quiet",
        body: "Boots in seconds and the fans stay quiet under load. Battery lasts a work day.",
      },
    },
  },
  "PATCH /reviews/:id": {
    stars: { summary: "Change the stars only", value: { rating: 4 } },
    text: {
      summary: "Rewrite the title and text",
      value: { title: "Fast, a little warm", body: "Still fast; it runs warm on long calls." },
    },
  },
};
