/**
 * Every request and response shape of the HTTP API, in zod. The routes validate with these
 * schemas and /openapi.json is generated from the very same objects, so the reference cannot
 * drift from what the server accepts. Named shapes carry an `id` and
 * become `#/components/schemas/<id>`. Request bodies are `z.strictObject`s, nested ones too:
 * an unknown field is a 400 naming it (strict_input_test.ts checks every route's body).
 */
import { z } from "zod";
import { GROUP_BYS } from "../../domain/analytics/revenue.ts";
import { ATTR_NAME, ATTR_OPS, PRODUCT_SORTS } from "../../domain/catalog/product.ts";
import { PUBLICATION_STATUSES } from "../../domain/catalog/publication.ts";
import { MIN_PASSWORD_LENGTH, ROLES } from "../../domain/identity/user.ts";
import { ORDER_SOURCES, ORDER_STATUSES } from "../../domain/ordering/order.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../domain/pagination.ts";
import { PAYMENT_STATUSES } from "../../domain/payments/payment.ts";
import { PRICE_BUCKETS, SEARCH_SORTS } from "../../domain/search/search.ts";

export interface ApiMeta {
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly examples?: readonly unknown[];
}

/** Ids of the named shapes this module registers: the OpenAPI components. */
export const COMPONENT_IDS = new Set<string>();

/**
 * Attaches documentation to `schema` itself (zod's global registry, where `.describe()` also
 * writes), so the schema the routes validate with is the one documented.
 */
export function doc<T extends z.ZodType>(schema: T, meta: ApiMeta): T {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), ...meta });
  if (meta.id) COMPONENT_IDS.add(meta.id);
  return schema;
}

// ---- Building blocks ----

const cents = (description: string) => doc(z.int().min(0), { description });
/**
 * Prices and counts a client may set are stored in the search index's 32-bit `integer` fields
 * (`priceCents`, `ratingCount`); a larger value would be refused there and never become
 * searchable. 2,147,483,647 cents is $21.4 million.
 */
const MAX_INDEXED_INT = 2_147_483_647;
const priceInput = (description: string) =>
  doc(z.int().min(0).max(MAX_INDEXED_INT), { description });
const isoDateTime = (description: string) => doc(z.iso.datetime({ offset: true }), { description });
/**
 * A publication time a client may set: from 1970 on. PostgreSQL stores years down to 4713 BC,
 * but the driver reads a year before 1000 back as an invalid Date (found by schemathesis), and
 * no catalog publishes before the epoch.
 */
const publicationTime = (description: string) =>
  doc(
    z.iso.datetime({ offset: true }).refine((s) => Date.parse(s) >= 0, {
      message: "publishedAt must be 1970-01-01T00:00:00Z or later",
    }),
    { description },
  );
const count = () => z.int().min(0);

/** Query strings carry text: integers are coerced, then range-checked. */
const queryInt = (min: number, max: number, description: string) =>
  doc(z.coerce.number().int().min(min).max(max), { description });

export const Sku = doc(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), {
  description: "Stock keeping unit: 1-64 letters, digits, `.`, `_` or `-`.",
  examples: ["LAP-001"],
});
const Slug = doc(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(200), {
  description: "URL-friendly name: lower-case words joined by `-`.",
});
const Currency = doc(z.string().regex(/^[A-Z]{3}$/), {
  description: "ISO 4217 currency code.",
  examples: ["USD"],
});
const ResourceId = doc(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), {
  description: "An opaque id (a UUID in production).",
});
const Label = (max: number) => z.string().trim().min(1).max(max);

const AttrValue = z.union([z.string().max(200), z.number(), z.boolean()]);
const Attrs = doc(z.record(z.string().regex(ATTR_NAME).max(64), AttrValue), {
  description: "Category-specific attributes: names match `[A-Za-z0-9_]+`.",
});

// ---- Pagination ----

/** Keeps `(page - 1) * size` a safe integer for every store's OFFSET. */
const MAX_PAGE = 10_000_000;

export const PageQuery = z.object({
  page: queryInt(1, MAX_PAGE, "Page number, from 1.").default(1),
  size: queryInt(1, MAX_PAGE_SIZE, `Items per page, at most ${MAX_PAGE_SIZE}.`)
    .default(DEFAULT_PAGE_SIZE),
});

function pageOf<T extends z.ZodType>(item: T, id: string) {
  return doc(
    z.object({ items: z.array(item), page: z.int().min(1), size: z.int().min(1), total: count() }),
    { id, description: "One page of a list: `total` counts every match." },
  );
}

// ---- Problems ----

export const FieldError = doc(z.object({ path: z.string(), message: z.string() }), {
  id: "FieldError",
  description: "One invalid input: `path` names the field, query parameter or header.",
});

export const Problem = doc(
  z.looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(FieldError).optional(),
    skus: z.array(z.string()).optional(),
    requestId: z.string().optional(),
  }),
  {
    id: "Problem",
    description: "RFC 9457 problem details. `errors` lists invalid fields (400), `skus` the " +
      "SKUs short of stock (409 insufficient_stock), `accept` the media types a body may be " +
      "sent as (415), `requestId` identifies a 500 in the logs. " +
      "Other members carry the data of the specific problem type.",
  },
);

// ---- Headers ----

export const IdempotencyHeaders = z.object({
  "Idempotency-Key": doc(z.string().regex(/^[\x21-\x7E]{1,255}$/), {
    description: "1-255 visible ASCII characters. Retrying with the same key and body replays " +
      "the first response (`Idempotent-Replayed: true`); another body under the key is 422; " +
      "a retry while the first request is still running is 409. A request that never " +
      "answered (the server died) holds its key for at most 60 s; a retry then completes it " +
      "without doing the work twice. Keys live 24 hours, per user.",
  }).optional(),
});

// ---- Identity ----

export const Email = doc(z.email().max(254), { examples: ["ada@example.com"] });

export const RegisterRequest = doc(
  z.strictObject({
    email: Email,
    password: doc(z.string().min(MIN_PASSWORD_LENGTH).max(1024), {
      description: `At least ${MIN_PASSWORD_LENGTH} characters.`,
    }),
    displayName: Label(100).nullable().optional(),
  }),
  { id: "RegisterRequest" },
);

export const LoginRequest = doc(
  z.strictObject({
    email: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(1024),
  }),
  { id: "LoginRequest" },
);

export const User = doc(
  z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    createdAt: isoDateTime("When the account was created."),
  }),
  { id: "User" },
);

export const AuthResult = doc(
  z.object({
    user: User,
    token: doc(z.string(), {
      description: "Opaque bearer token: send it as `Authorization: Bearer <token>`.",
    }),
  }),
  { id: "AuthResult" },
);

export const Rank = doc(
  z.object({
    rank: z.int().min(1).nullable().describe("1 = most points; null before the first purchase."),
    score: z.int().min(0).describe("Loyalty points: one per whole dollar paid."),
  }),
  { id: "Rank" },
);

// ---- Catalog ----

const Availability = z.object({ available: count(), inStock: z.boolean() });

const Variant = z.object({
  sku: z.string(),
  label: z.string(),
  attrs: Attrs,
  priceCents: cents("The variant's own unit price in cents."),
  availability: Availability,
});

export const Product = doc(
  z.object({
    sku: z.string(),
    name: z.string(),
    slug: z.string(),
    category: z.string(),
    brand: z.string(),
    description: z.string(),
    priceCents: cents("Unit price in cents (inventory is the source of truth)."),
    currency: z.string(),
    images: z.array(z.string()),
    attrs: Attrs,
    variants: doc(z.array(Variant), {
      description: "The SKUs on sale (retired variants are left out). Empty: the product is " +
        "sold under its own SKU; otherwise only through these.",
    }),
    priceRange: z.object({
      minCents: cents("Lowest variant price (the product's price without variants)."),
      maxCents: cents("Highest variant price."),
    }),
    tags: z.array(z.string()),
    ratings: z.object({ avg: z.number().min(0).max(5), count: count() }),
    publishedAt: isoDateTime("Publication time; null while unpublished.").nullable(),
    updatedAt: isoDateTime("Last catalog change."),
    availability: Availability.describe("With variants: the sum over the variants on sale."),
    breadcrumbs: z.array(z.object({ slug: z.string(), name: z.string() })).describe(
      "The product's category and its ancestors, from the root down.",
    ),
  }),
  { id: "Product" },
);

export const ProductDetail = doc(
  z.object({
    ...Product.shape,
    selectedVariant: z.string().nullable().describe(
      "The variant SKU the product was looked up by; null for a product SKU or slug.",
    ),
  }),
  { id: "ProductDetail" },
);

export const ProductPage = pageOf(Product, "ProductPage");

const ATTR_KEY = new RegExp(
  `^attr\\.(${ATTR_NAME.source.slice(1, -1)})\\.(${ATTR_OPS.join("|")})$`,
);

/** `attr.<name>.<op>` query parameters, validated; anything else under `attr.` is refused. */
export const AttrFilterParams = doc(
  z.record(z.string().regex(ATTR_KEY), z.string().max(200), {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `unknown attribute filter: use attr.<name>.<op>, <name> of [A-Za-z0-9_], <op> one of ${
          ATTR_OPS.join(", ")
        }`
        : undefined,
  }),
  {
    title: "attr.<name>.<op>",
    description: "Attribute filters: `attr.<name>.<op>=<value>` with `<name>` matching " +
      `\`[A-Za-z0-9_]+\` and \`<op>\` one of ${
        ATTR_OPS.join(", ")
      }; e.g. \`attr.ram_gb.gte=32\`. ` +
      "`true`/`false` are booleans, numbers compare as numbers. Every filter must match.",
    examples: [{ "attr.ram_gb.gte": "32", "attr.cpu.eq": "M3" }],
  },
);

const CategoryFilter = doc(Label(100), {
  description: "A category's slug: products of that category and of every category below it.",
});

export const ProductListQuery = z.object({
  category: CategoryFilter.optional(),
  brand: Label(100).optional(),
  tag: Label(100).optional(),
  minRating: doc(z.coerce.number().min(0).max(5), { description: "Average rating 0-5." })
    .optional(),
  sort: z.enum(PRODUCT_SORTS).default("newest"),
  ...PageQuery.shape,
});

/** The admin list: browse filters plus the publication status at the server's clock. */
export const AdminProductListQuery = z.object({
  ...ProductListQuery.shape,
  status: doc(z.enum(PUBLICATION_STATUSES), {
    description: "`draft` (no publishedAt), `scheduled` (publishedAt later than now) or " +
      "`published`; absent: every product.",
  }).optional(),
});

export const ProductKeyParams = z.object({
  skuOrSlug: doc(z.string().regex(/^[A-Za-z0-9._-]{1,200}$/), {
    description: "A SKU or a slug.",
  }),
});

export const SkuParams = z.object({ sku: Sku });

const VariantStock = z.union([
  z.int().min(0).max(1_000_000_000),
  z.record(Label(50), z.int().min(0).max(1_000_000_000)),
]).describe("Units on hand: a number (the default warehouse) or `{warehouseCode: units}`.");

const NewVariant = z.strictObject({
  sku: Sku,
  label: Label(200),
  attrs: Attrs.default({}),
  priceCents: priceInput("The variant's price in cents.").optional(),
  priceAdjustmentCents: z.int().min(-1_000_000_000).max(1_000_000_000).optional()
    .describe("Added to the product's price; the absolute price is stored."),
  stock: VariantStock.optional(),
  lowStockThreshold: z.int().min(0).max(1_000_000_000).optional(),
}).refine((v) => v.priceCents === undefined || v.priceAdjustmentCents === undefined, {
  message: "give either priceCents or priceAdjustmentCents, not both",
  path: ["priceAdjustmentCents"],
});

/** Variant SKUs must differ from each other and from the product's SKU. */
function distinctVariantSkus<T extends { sku?: string; variants?: readonly { sku: string }[] }>(
  body: T,
  ctx: z.RefinementCtx<T>,
): void {
  const seen = new Set(body.sku === undefined ? [] : [body.sku]);
  body.variants?.forEach((v, i) => {
    if (seen.has(v.sku)) {
      ctx.addIssue({
        code: "custom",
        message: `variant SKU ${v.sku} is given twice or equals the product's SKU`,
        path: ["variants", i, "sku"],
      });
    }
    seen.add(v.sku);
  });
}
const Ratings = z.strictObject({
  avg: z.number().min(0).max(5),
  count: z.int().min(0).max(MAX_INDEXED_INT),
});

export const CreateProductRequest = doc(
  z.strictObject({
    sku: Sku,
    name: Label(200),
    slug: Slug.optional(),
    category: Label(100),
    brand: Label(100),
    description: z.string().max(10_000).default(""),
    images: z.array(z.url().max(2_000)).max(20).default([]),
    attrs: Attrs.default({}),
    variants: doc(z.array(NewVariant).max(50).default([]), {
      description: "Sellable SKUs; when given, the product is sold only through them and " +
        "its own `stock` must be 0.",
    }),
    tags: z.array(Label(50)).max(50).default([]),
    ratings: Ratings.optional(),
    priceCents: priceInput("Unit price in cents."),
    currency: Currency.optional(),
    stock: z.int().min(0).max(1_000_000_000).default(0)
      .describe("Units on hand under the product's own SKU (0 when it has variants)."),
    publishedAt: publicationTime("Defaults to now; null keeps a draft, a later time schedules it.")
      .nullable().optional(),
  }).superRefine(distinctVariantSkus).refine((b) => b.variants.length === 0 || b.stock === 0, {
    message: "a product with variants is stocked per variant: leave its own stock at 0",
    path: ["stock"],
  }),
  { id: "CreateProductRequest", description: "Catalog content plus price and stock." },
);

export const UpdateProductRequest = doc(
  z.strictObject({
    name: Label(200).optional(),
    slug: Slug.optional(),
    category: Label(100).optional(),
    brand: Label(100).optional(),
    description: z.string().max(10_000).optional(),
    images: z.array(z.url().max(2_000)).max(20).optional(),
    attrs: Attrs.optional(),
    variants: doc(z.array(NewVariant).max(50).optional(), {
      description: "The full list of variants to sell: new SKUs are added (with their " +
        "initial stock), listed ones changed, and live ones left out are retired (no longer " +
        "sold; kept in order history; their SKU is never reused).",
    }),
    tags: z.array(Label(50)).max(50).optional(),
    ratings: Ratings.optional(),
    priceCents: priceInput("New unit price in cents.").optional(),
    stock: z.int().min(0).max(1_000_000_000).optional().describe("Absolute stock."),
    stockDelta: z.int().min(-1_000_000_000).max(1_000_000_000).optional()
      .describe("Relative stock change; exclusive with `stock`."),
    publishedAt: publicationTime("A time publishes (later: schedules); null unpublishes.")
      .nullable()
      .optional(),
  }).refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "change at least one field",
  }).refine((b) => b.stock === undefined || b.stockDelta === undefined, {
    message: "give either stock or stockDelta, not both",
    path: ["stockDelta"],
  }).superRefine(distinctVariantSkus),
  { id: "UpdateProductRequest", description: "Any subset of the product's fields." },
);

// ---- Inventory and warehouses ----

const WarehouseCode = doc(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), {
  description: "Warehouse code: 1-64 lowercase letters, digits, `-` or `_`.",
  examples: ["main"],
});

export const StockRow = doc(
  z.object({
    sku: z.string(),
    warehouse: z.string(),
    stock: count(),
    reserved: count().describe("Units held there by pending orders."),
    available: count().describe("stock - reserved"),
    lowStockThreshold: count().describe("`lowStock=true` lists the row at or below this."),
  }),
  { id: "StockRow" },
);

export const InventoryItem = doc(
  z.object({
    sku: z.string(),
    name: z.string(),
    unitPriceCents: cents("Unit price in cents."),
    currency: z.string(),
    stock: count().describe("Sum over active warehouses."),
    reserved: count().describe("Units held by pending orders, over active warehouses."),
    available: count().describe("stock - reserved"),
    active: z.boolean().describe("False once the product is deleted."),
    publishedAt: isoDateTime(
      "Checkout's copy of the product's publication time: sold only from then on; null: a draft.",
    ).nullable(),
    updatedAt: isoDateTime("Last change."),
    warehouses: z.array(StockRow).describe("The SKU's row in each warehouse that has one."),
  }),
  { id: "InventoryItem" },
);

export const InventoryPage = pageOf(StockRow, "InventoryPage");

export const InventoryListQuery = z.object({
  sku: Sku.optional().describe("Only this SKU's rows."),
  warehouse: WarehouseCode.optional().describe("Only this warehouse's rows."),
  lowStock: doc(z.enum(["true", "false"]), {
    description:
      "true: only rows whose available units are at or below the row's own lowStockThreshold.",
  }).transform((v) => v === "true").optional(),
  ...PageQuery.shape,
});

const STOCK_MAX = 1_000_000_000;

export const AdjustInventoryRequest = doc(
  z.strictObject({
    warehouse: WarehouseCode.optional().describe(
      "The warehouse whose row `stock`, `delta` and `lowStockThreshold` change; default `main`.",
    ),
    stock: z.int().min(0).max(STOCK_MAX).optional().describe("Absolute stock there."),
    delta: z.int().min(-STOCK_MAX).max(STOCK_MAX).optional()
      .describe("Relative change there; exclusive with `stock`."),
    lowStockThreshold: z.int().min(0).max(STOCK_MAX).optional()
      .describe("The row's low-stock threshold."),
    unitPriceCents: priceInput("New unit price in cents (per SKU).").optional(),
  }).refine(
    (b) =>
      b.stock !== undefined || b.delta !== undefined || b.unitPriceCents !== undefined ||
      b.lowStockThreshold !== undefined,
    { message: "give at least one of stock, delta, lowStockThreshold, unitPriceCents" },
  ).refine((b) => b.stock === undefined || b.delta === undefined, {
    message: "give either stock or delta, not both",
    path: ["delta"],
  }).refine(
    (b) =>
      b.warehouse === undefined || b.stock !== undefined || b.delta !== undefined ||
      b.lowStockThreshold !== undefined,
    {
      message: "warehouse names the row stock, delta or lowStockThreshold change; give one",
      path: ["warehouse"],
    },
  ),
  { id: "AdjustInventoryRequest" },
);

export const Warehouse = doc(
  z.object({
    code: z.string(),
    name: z.string(),
    country: z.string(),
    priority: z.int().describe("Allocation order: smaller first, ties by code."),
    active: z.boolean().describe("Inactive: sells nothing, counts for no availability."),
  }),
  { id: "Warehouse" },
);

export const WarehouseList = doc(
  z.object({ items: z.array(Warehouse).describe("By priority, then code.") }),
  { id: "WarehouseList" },
);

const Country = doc(z.string().regex(/^[A-Z]{2}$/), {
  description: "ISO 3166-1 alpha-2 country code.",
  examples: ["US"],
});
const Priority = z.int().min(-1_000_000).max(1_000_000);

export const CreateWarehouseRequest = doc(
  z.strictObject({
    code: WarehouseCode,
    name: Label(200),
    country: Country,
    priority: Priority.describe("Allocation order: smaller first."),
    active: z.boolean().optional().describe("Default true."),
  }),
  { id: "CreateWarehouseRequest" },
);

export const UpdateWarehouseRequest = doc(
  z.strictObject({
    name: Label(200).optional(),
    country: Country.optional(),
    priority: Priority.optional(),
    active: z.boolean().optional().describe(
      "false deactivates: its stock leaves availability and new allocations; pending " +
        "allocations there stay until paid, cancelled or expired.",
    ),
  }).refine((b) => Object.keys(b).length > 0, {
    message: "give at least one of name, country, priority, active",
  }),
  { id: "UpdateWarehouseRequest", description: "Any subset of the warehouse's fields." },
);

export const WarehouseParams = z.object({ code: WarehouseCode });

// ---- Cart ----

const Qty = (min: number) => z.int().min(min).max(1_000);

export const AddCartItemRequest = doc(z.strictObject({ sku: Sku, qty: Qty(1) }), {
  id: "AddCartItemRequest",
  description: "Adds `qty` to the line (creating it).",
});

export const SetCartItemRequest = doc(z.strictObject({ qty: Qty(0) }), {
  id: "SetCartItemRequest",
  description: "Sets the line's quantity; 0 removes it.",
});

export const Cart = doc(
  z.object({
    items: z.array(z.object({
      sku: z.string().describe("The SKU in the cart: a product's own, or a variant's."),
      productSku: z.string(),
      productName: z.string(),
      variantLabel: z.string().nullable(),
      name: z.string().describe("The product name (same as productName)."),
      qty: z.int().min(1),
      unitPriceCents: cents("Current unit price in cents."),
      lineTotalCents: cents("qty x unitPriceCents."),
      available: count().describe("Units available now."),
    })),
    totalCents: cents("Sum of the line totals."),
    currency: z.string(),
  }),
  { id: "Cart" },
);

// ---- Orders ----

export const PlaceOrderRequest = doc(
  z.strictObject({
    items: z.array(z.strictObject({ sku: Sku, qty: Qty(1) })).max(100).optional()
      .describe("Lines to order; when absent, the cart's lines. Repeated SKUs are merged."),
  }),
  { id: "PlaceOrderRequest" },
);

const OrderItem = z.object({
  sku: z.string().describe("The SKU sold: the product's own, or one of its variants'."),
  productSku: z.string().describe("The product the SKU belongs to (= sku without variants)."),
  productName: z.string().describe("Name when ordered."),
  variantLabel: z.string().nullable().describe("The variant's label when ordered; null without."),
  qty: z.int().min(1),
  unitPriceCents: cents("Unit price when ordered, in cents."),
  lineTotalCents: cents("qty x unitPriceCents."),
});

const OrderPayment = doc(
  z.object({
    provider: z.string(),
    status: z.enum(PAYMENT_STATUSES).describe('"succeeded", or "refunded" after a refund.'),
    amountCents: cents("Amount charged in cents."),
    currency: z.string(),
    providerRef: z.string().describe("The provider's charge reference."),
    processedAt: isoDateTime("When the provider answered."),
  }),
  { id: "OrderPayment", description: "The payment that confirmed the order." },
);

const orderFields = {
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  totalCents: cents("Order total in cents."),
  currency: z.string().describe("The one currency of every line and the total."),
  source: z.enum(ORDER_SOURCES).describe(
    '"cart": the lines came from the cart, and paying takes exactly them out of it; ' +
      '"items": the request named them, and the cart is left alone.',
  ),
  createdAt: isoDateTime("When the order was placed."),
  expiresAt: isoDateTime(
    "While pending: when the order is cancelled and its stock released. Null once it no " +
      "longer expires (paid, cancelled).",
  ).nullable(),
  paidAt: isoDateTime("When it was paid; null before.").nullable(),
  payment: OrderPayment.nullable().describe("The confirming payment once paid; null before."),
};

export const Order = doc(z.object({ ...orderFields, items: z.array(OrderItem) }), {
  id: "Order",
});

export const OrderDetail = doc(
  z.object({
    ...orderFields,
    items: z.array(OrderItem.extend({
      product: z.object({
        name: z.string().describe('Current catalog name, or "Product unavailable".'),
        slug: z.string().nullable(),
        image: z.string().nullable(),
      }),
    })),
  }),
  { id: "OrderDetail", description: "An order with current catalog data joined in." },
);

export const OrderPage = pageOf(Order, "OrderPage");

export const OrderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  ...PageQuery.shape,
});

export const OrderIdParams = z.object({ id: ResourceId });

// ---- Payments ----

export const PayRequest = doc(
  z.strictObject({
    orderId: ResourceId,
    provider: z.string().min(1).max(64).describe('Payment provider: "test" or "stripe".'),
    paymentToken: z.string().min(1).max(512).optional()
      .describe("Test provider token: tok_visa, tok_declined, tok_error."),
    paymentMethod: z.string().min(1).max(255).optional()
      .describe("Stripe PaymentMethod id (pm_...) created by Stripe.js; no card data here."),
  }).superRefine((b, ctx) => {
    if ((b.paymentToken === undefined) === (b.paymentMethod === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one: paymentToken for the test provider, paymentMethod for stripe",
        path: [b.provider === "stripe" ? "paymentMethod" : "paymentToken"],
      });
    }
  }, { when: (payload) => typeof payload.value === "object" && payload.value !== null }),
  {
    id: "PayRequest",
    description: "The amount charged is always the order's total. `paymentToken` for the " +
      "test provider, `paymentMethod` for Stripe.",
  },
);

export const Payment = doc(
  z.object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    amountCents: cents("Amount charged in cents."),
    provider: z.string(),
    providerRef: z.string().describe("The provider's charge reference."),
    processedAt: isoDateTime("When the provider answered."),
  }),
  { id: "Payment" },
);

export const PaymentResult = doc(z.object({ payment: Payment, order: Order }), {
  id: "PaymentResult",
});

// ---- Search ----

const optionalBool = (description: string) =>
  doc(z.enum(["true", "false"]), { description }).transform((v) => v === "true").optional();

const SEARCH_ATTR_KEY = new RegExp(`^attr\\.(${ATTR_NAME.source.slice(1, -1)})$`);

/** `attr.<name>=<value>` search filters, validated; anything else under `attr.` is refused. */
export const SearchAttrParams = doc(
  z.record(z.string().regex(SEARCH_ATTR_KEY), z.string().min(1).max(200), {
    error: (issue) =>
      issue.code === "invalid_key"
        ? "unknown attribute filter: use attr.<name>=<value>, <name> of [A-Za-z0-9_]"
        : undefined,
  }),
  {
    title: "attr.<name>",
    description: "Attribute filters: `attr.<name>=<value>`, e.g. `attr.color=Blue&attr.size=L`. " +
      "A product matches when its own attributes or any variant on sale has the value " +
      "(compared as text); every filter must match.",
    examples: [{ "attr.color": "Blue", "attr.size": "L" }],
  },
);

export const SearchQuery = z.object({
  q: z.string().max(200).default("").describe("Free text; empty searches by filters only."),
  category: CategoryFilter.optional(),
  brand: Label(100).optional(),
  minPrice: queryInt(0, Number.MAX_SAFE_INTEGER, "Lowest price in cents (inclusive).")
    .optional(),
  maxPrice: queryInt(0, Number.MAX_SAFE_INTEGER, "Highest price in cents (inclusive).")
    .optional(),
  inStock: optionalBool("Only products with units available."),
  sort: z.enum(SEARCH_SORTS).default("relevance"),
  ...PageQuery.shape,
}).refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
  message: "minPrice must not exceed maxPrice",
  path: ["minPrice"],
});

const SearchHit = doc(
  z.object({
    sku: z.string(),
    name: z.string(),
    slug: z.string(),
    category: z.string(),
    brand: z.string(),
    priceCents: cents("Unit price in cents."),
    rating: z.number().min(0).max(5),
    inStock: z.boolean(),
    highlight: z.record(z.string(), z.array(z.string()))
      .describe("Field -> fragments, matches wrapped in <em></em>."),
  }),
  { id: "SearchHit" },
);

const Facet = z.array(z.object({ value: z.string(), count: count() }));

export const SearchResult = doc(
  z.object({
    items: z.array(SearchHit),
    page: z.int().min(1),
    size: z.int().min(1),
    total: count(),
    facets: z.object({
      category: Facet,
      brand: Facet,
      price: z.array(z.object({
        key: z.enum(PRICE_BUCKETS.map((b) => b.key) as [string, ...string[]]),
        fromCents: z.int().nullable(),
        toCents: z.int().nullable(),
        count: count(),
      })).describe(
        "Under $50, $50-200, $200-500, over $500; from inclusive, to exclusive. A product " +
          "sold in variants counts at its lowest variant price.",
      ),
      attrs: z.record(z.string(), Facet).describe(
        "Per attribute the hits' variants vary in (size, color, ram_gb, ...): the hits " +
          "holding each value.",
      ),
    }),
    suggestions: z.array(z.string()).describe('"Did you mean" rewrites of the query.'),
  }),
  { id: "SearchResult" },
);

export const AutocompleteQuery = z.object({
  q: z.string().max(100).default("").describe("Prefix typed so far."),
  limit: queryInt(1, 20, "At most this many suggestions.").default(10),
});

export const Autocomplete = doc(
  z.object({
    suggestions: z.array(z.object({ sku: z.string(), name: z.string(), slug: z.string() })),
  }),
  { id: "Autocomplete" },
);

// ---- Leaderboards ----

export const ProductLeaderboardQuery = z.object({
  period: z.enum(["daily"]).default("daily"),
  day: doc(z.iso.date(), { description: "UTC day (YYYY-MM-DD); defaults to today." })
    .optional(),
  limit: queryInt(1, 100, "At most this many entries.").default(10),
});

export const CustomerLeaderboardQuery = z.object({
  limit: queryInt(1, 100, "At most this many entries.").default(10),
});

export const ProductLeaderboard = doc(
  z.object({
    period: z.enum(["daily"]),
    day: z.string(),
    items: z.array(z.object({
      sku: z.string(),
      name: z.string().nullable(),
      score: count().describe("Units sold."),
      rank: z.int().min(1),
    })),
  }),
  { id: "ProductLeaderboard" },
);

export const CustomerLeaderboard = doc(
  z.object({
    items: z.array(z.object({
      displayName: z.string().nullable().describe("Public name; user ids and emails stay private."),
      score: count().describe("Loyalty points."),
      rank: z.int().min(1),
    })),
  }),
  { id: "CustomerLeaderboard" },
);

// ---- Admin: orders, analytics, search ----

export const AdminOrderListQuery = OrderListQuery;

export const AdminOrder = doc(
  z.object({ ...orderFields, userId: z.string(), items: z.array(OrderItem) }),
  { id: "AdminOrder", description: "An order as administrators see it: with its customer." },
);

export const AdminOrderPage = pageOf(AdminOrder, "AdminOrderPage");

const QueryInstant = doc(
  z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
  { description: "ISO 8601 date (UTC midnight) or date-time." },
).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

export const RevenueQuery = z.object({
  from: QueryInstant.optional().describe("Start, inclusive. Default: 30 days before `to`."),
  to: QueryInstant.optional().describe("End, exclusive. Default: now."),
  groupBy: z.enum(GROUP_BYS).default("day"),
}).refine((q) => !q.from || !q.to || q.from.getTime() < q.to.getTime(), {
  message: "from must be before to",
  path: ["from"],
});

const revenueFigures = {
  currency: z.string().describe("Figures are per currency: two currencies are never added."),
  orders: count().describe("Orders paid in the period and kept."),
  units: count().describe("Units of the kept orders."),
  revenueCents: cents("Total of the kept orders, in cents of `currency`."),
  refundCount: count().describe("Orders paid in the period and refunded since."),
  refundedCents: cents("Total of the refunded orders, in cents of `currency`."),
};

export const Revenue = doc(
  z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(GROUP_BYS),
    buckets: z.array(z.object({
      period: z.string().describe("2026-11-21 (day), Monday of the week, or 2026-11 (month)."),
      ...revenueFigures,
    })).describe("One per period and currency, by period then currency."),
    totals: z.array(z.object(revenueFigures)).describe("One per currency, by currency."),
    topProducts: z.array(z.object({
      sku: z.string(),
      productName: z.string(),
      currency: z.string(),
      units: count(),
      revenueCents: cents("In cents of `currency`."),
    })).describe("Best sellers of the kept orders: units, then revenue."),
  }),
  {
    id: "Revenue",
    description: "Orders paid in [from, to), counted at payment time, per currency; refunded " +
      "orders appear as refunds in the bucket they were paid in.",
  },
);

export const ReindexJob = doc(
  z.object({
    id: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    indexed: count(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  }),
  { id: "ReindexJob" },
);

const feedStatus = {
  lagMs: count().describe("Age of the oldest change not yet applied."),
  lastEventAt: z.string().nullable(),
  checkpoint: z.string().nullable(),
  pending: count(),
};

export const SyncStatus = doc(
  z.object({
    ...feedStatus,
    feeds: z.array(z.object({
      feed: z.string(),
      ...feedStatus,
      resyncs: count().describe(
        "Times the feed's resume point had left its history (MongoDB oplog) and the index was " +
          "rebuilt from the sources.",
      ),
      lastResyncAt: z.string().nullable(),
      lastResyncReason: z.string().nullable(),
    })),
    parked: z.array(z.object({
      feed: z.string(),
      sku: z.string(),
      error: z.string(),
      parkedAt: z.string(),
    })),
  }),
  { id: "SyncStatus" },
);

export const Duties = doc(
  z.object({
    duties: z.array(z.object({
      name: z.string().describe(
        "expiry-sweeper, pruning, sync:<feed> (one per change feed) or search-reindex.",
      ),
      holder: z.string().nullable().describe(
        "The instance running it (host:pid:nonce; a rebuild's job id), null when none does.",
      ),
      host: z.string().nullable(),
      pid: z.int().nullable(),
      expiresAt: z.string().nullable().describe(
        "When the lease lapses unless renewed: a dead holder's duty moves on after this.",
      ),
    })),
  }),
  {
    id: "Duties",
    description: "Each background duty runs in one API or worker instance at a time, under a " +
      "lease in PostgreSQL; another instance takes it over within seconds of its holder dying.",
  },
);

// ---- Health ----

export const Health = doc(z.object({ status: z.literal("ok") }), { id: "Health" });

export const Readiness = doc(
  z.object({
    status: z.enum(["ready", "degraded"]).describe("degraded: a non-critical dependency is down."),
    checks: z.array(z.object({
      name: z.string(),
      critical: z.boolean(),
      status: z.enum(["ok", "down"]),
      latencyMs: count(),
    })),
  }),
  { id: "Readiness" },
);
