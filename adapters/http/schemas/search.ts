import { z } from "zod";
import { ATTR_NAME } from "../../../domain/catalog/product.ts";
import { PRICE_BUCKETS, SEARCH_SORTS } from "../../../domain/search/search.ts";
import { cents, count, doc, Label, PageQuery, queryInt, Slug } from "./_common.ts";
import { CategoryFilter } from "./catalog.ts";

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
  vendor: Slug.optional().describe("Only products of the vendor with this slug."),
  minPrice: queryInt(0, Number.MAX_SAFE_INTEGER, "Lowest price in cents (inclusive).")
    .optional(),
  maxPrice: queryInt(0, Number.MAX_SAFE_INTEGER, "Highest price in cents (inclusive).")
    .optional(),
  minRating: doc(z.coerce.number().min(0).max(5), {
    description: "Average rating at least this (0-5; ratings come from published reviews).",
  }).optional(),
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
    vendor: z.object({ slug: z.string(), name: z.string() }).nullable()
      .describe("The vendor selling it; null: the shop itself."),
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
      vendor: Facet.describe("Per vendor slug, the hits it sells."),
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
