/** Administration of the catalog: every product (drafts, scheduled), create, change, delete. */
import { Hono } from "hono";
import type { VariantInput } from "../../domain/catalog/variant.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { ATTR_PREFIX, attrFiltersOf } from "./products_routes.ts";
import { pageJson, productJson } from "./_views.ts";
import {
  AdminProductListQuery,
  AttrFilterParams,
  CreateProductRequest,
  Product,
  ProductPage,
  SkuParams,
  UpdateProductRequest,
} from "./schemas/catalog.ts";

const listProducts = route({
  tag: "Admin",
  summary: "Every product, drafts and scheduled ones included",
  description: "`status` keeps one publication status at the server's clock: `draft` (no " +
    "publishedAt), `scheduled` (publishedAt later than now) or `published`. Browse filters " +
    "and sorts as `GET /products`.",
  access: "admin",
  query: AdminProductListQuery,
  queryPrefix: { prefix: ATTR_PREFIX, schema: AttrFilterParams },
  success: { status: 200, description: "A page of products.", schema: ProductPage },
  problems: ["dependency_unavailable"],
});

/** A variant as the body gives it; `stock` is a number or units per warehouse code. */
function variantInput(
  v: { stock?: number | Record<string, number> } & Omit<VariantInput, "stock">,
): VariantInput {
  const { stock, ...rest } = v;
  if (stock === undefined) return rest;
  return typeof stock === "number" ? { ...rest, stock } : { ...rest, stockByWarehouse: stock };
}

const createProduct = route({
  tag: "Admin",
  summary: "Create a product with its price and stock",
  description: "The product reaches search through the catalog change feed. `category` must " +
    "exist (else 400 unknown_category) and `attrs` must fit its effective attribute " +
    "definitions (else 400 invalid_attributes naming each `attrs.<name>`); the product gets " +
    "the category's `breadcrumbs`.",
  access: "admin",
  body: CreateProductRequest,
  success: { status: 201, description: "The new product.", schema: Product },
  problems: [
    "unknown_vendor",
    "already_exists",
    "invalid_stock_level",
    "unknown_category",
    "invalid_attributes",
    "duplicate_sku",
    "invalid_variant_price",
    "dependency_unavailable",
  ],
});

const updateProduct = route({
  tag: "Admin",
  summary: "Change a product's content, price or stock",
  access: "admin",
  params: SkuParams,
  body: UpdateProductRequest,
  success: { status: 200, description: "The updated product.", schema: Product },
  problems: [
    "unknown_vendor",
    "not_found",
    "already_exists",
    "invalid_stock_level",
    "unknown_category",
    "invalid_attributes",
    "duplicate_sku",
    "invalid_variant_price",
    "dependency_unavailable",
  ],
});

const deleteProduct = route({
  tag: "Admin",
  summary: "Stop selling a product and remove its content",
  description: "Inventory keeps the SKU (inactive) for order history; SKUs are never reused.",
  access: "admin",
  params: SkuParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found", "dependency_unavailable"],
});

export function adminProductsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/products", listProducts.guard, async (c) => {
      const query = listProducts.query(c);
      const attrs = attrFiltersOf(listProducts.prefixed(c));
      const page = await useCases.listAdminProducts({ ...query, attrs });
      return c.json(pageJson(page, productJson), 200);
    })
    .post("/products", createProduct.guard, async (c) => {
      const { publishedAt, variants, ...input } = await createProduct.body(c);
      const product = await useCases.createProduct({
        ...input,
        variants: variants.map(variantInput),
        publishedAt: publishedAt === undefined || publishedAt === null
          ? publishedAt
          : new Date(publishedAt),
      });
      return c.json(productJson(product), 201);
    })
    .patch("/products/:sku", updateProduct.guard, async (c) => {
      const { sku } = updateProduct.params(c);
      const { publishedAt, variants, ...input } = await updateProduct.body(c);
      const product = await useCases.updateProduct(sku, {
        ...input,
        ...(variants === undefined ? {} : { variants: variants.map(variantInput) }),
        ...(publishedAt === undefined
          ? {}
          : { publishedAt: publishedAt === null ? null : new Date(publishedAt) }),
      });
      return c.json(productJson(product), 200);
    })
    .delete("/products/:sku", deleteProduct.guard, async (c) => {
      await useCases.deleteProduct(deleteProduct.params(c).sku);
      return c.body(null, 204);
    });
}
