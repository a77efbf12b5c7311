/** Full-text product search with facets, and type-ahead suggestions. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { searchJson } from "./_views.ts";
import {
  Autocomplete,
  AutocompleteQuery,
  SearchAttrParams,
  SearchQuery,
  SearchResult,
} from "./schemas/search.ts";
import { ATTR_PREFIX } from "./products_routes.ts";

const search = route({
  tag: "Search",
  summary: "Search products",
  description: "`q` may be empty to search by filters only. `minPrice` and `maxPrice` are " +
    "integer cents, inclusive, and match a product sold in variants by its lowest variant " +
    "price. `category` covers the category's whole subtree; `vendor` (a vendor's slug) keeps " +
    "that vendor's products. `attr.<name>=<value>` filters by " +
    "an attribute of the product or of any variant on sale (`attr.color=Blue&attr.size=L`). " +
    "Facets count the children of the selected category (the root categories when none is " +
    "selected), brands, vendors (by slug), price buckets (under $50, $50-200, $200-500, over $500) and the values " +
    'of each attribute the hits\' variants vary in; `suggestions` offers "did you mean" rewrites.',
  access: "public",
  query: SearchQuery,
  queryPrefix: { prefix: ATTR_PREFIX, schema: SearchAttrParams },
  success: { status: 200, description: "Hits with highlights and facets.", schema: SearchResult },
  problems: ["dependency_unavailable"],
});

const autocomplete = route({
  tag: "Search",
  summary: "Product suggestions for a typed prefix",
  access: "public",
  query: AutocompleteQuery,
  success: { status: 200, description: "Suggestions, best first.", schema: Autocomplete },
  problems: ["dependency_unavailable"],
});

export function searchRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", search.guard, async (c) => {
      const { minPrice, maxPrice, ...query } = search.query(c);
      const attrs = search.prefixed(c).map(([name, value]) => ({ name, value }));
      const result = await useCases.search({
        ...query,
        ...(attrs.length === 0 ? {} : { attrs }),
        minPriceCents: minPrice,
        maxPriceCents: maxPrice,
      });
      return c.json(searchJson(result), 200);
    })
    .get("/autocomplete", autocomplete.guard, async (c) => {
      const { q, limit } = autocomplete.query(c);
      const suggestions = await useCases.autocomplete({ prefix: q, limit });
      return c.json({
        suggestions: suggestions.map((s) => ({ sku: s.sku, name: s.name, slug: s.slug })),
      }, 200);
    });
}
