/** Browsing the catalog: filtered, sorted lists and single products by SKU or slug. */
import { Hono } from "hono";
import type { AttrFilter, AttrOp } from "../../domain/catalog/product.ts";
import { parseAttrValue } from "../../domain/catalog/product.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { pageJson, productJson } from "./_views.ts";
import { selectedVariant } from "../../application/catalog/products.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import {
  AttrFilterParams,
  ProductDetail,
  ProductKeyParams,
  ProductListQuery,
  ProductPage,
} from "./schemas/catalog.ts";

export const ATTR_PREFIX = "attr.";

/** `attr.<name>.<op>` parameters (prefix removed, already validated) as domain filters. */
export function attrFiltersOf(pairs: readonly [string, string][]): AttrFilter[] {
  return pairs.map(([key, value]): AttrFilter => {
    const dot = key.lastIndexOf(".");
    return {
      name: key.slice(0, dot),
      op: key.slice(dot + 1) as AttrOp,
      value: parseAttrValue(value),
    };
  });
}

const list = route({
  tag: "Products",
  summary: "Browse products",
  description: "Published products only (drafts and scheduled ones are left out). Filters " +
    "combine with AND. Prices are integer cents.",
  access: "public",
  query: ProductListQuery,
  queryPrefix: { prefix: ATTR_PREFIX, schema: AttrFilterParams },
  success: { status: 200, description: "A page of products.", schema: ProductPage },
  problems: ["dependency_unavailable"],
});

const get = route({
  tag: "Products",
  summary: "One product by SKU, variant SKU or slug",
  description: "A variant's SKU answers its product and names the variant in " +
    "`selectedVariant` (null otherwise). Drafts and scheduled products (not yet published) are 404, except with an " +
    "admin bearer token.",
  access: "public",
  params: ProductKeyParams,
  success: {
    status: 200,
    description: "The product with its availability.",
    schema: ProductDetail,
  },
  problems: ["not_found", "dependency_unavailable"],
});

/**
 * The answer's JSON per view and selected variant. The in-process product cache hands out the
 * same view object for a hot product until it changes or expires, so the product is serialized
 * once per view instead of once per request; a new view (a change, a reload) starts afresh.
 */
const bodies = new WeakMap<ProductView, Map<string | null, string>>();

function productBody(view: ProductView, skuOrSlug: string): string {
  const variant = selectedVariant(view, skuOrSlug);
  let byVariant = bodies.get(view);
  if (!byVariant) bodies.set(view, byVariant = new Map());
  let body = byVariant.get(variant);
  if (body === undefined) {
    body = JSON.stringify({ ...productJson(view), selectedVariant: variant });
    byVariant.set(variant, body);
  }
  return body;
}

export function productsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", list.guard, async (c) => {
      const query = list.query(c);
      const attrs = attrFiltersOf(list.prefixed(c));
      const page = await useCases.listProducts({ ...query, attrs });
      return c.json(pageJson(page, productJson), 200);
    })
    .get("/:skuOrSlug", get.guard, async (c) => {
      const { skuOrSlug } = get.params(c);
      const includeUnpublished = c.get("identity")?.user.role === "admin";
      const view = await useCases.getProduct(skuOrSlug, { includeUnpublished });
      return c.body(productBody(view, skuOrSlug), 200, { "content-type": "application/json" });
    });
}
