import { categoryKeysOf, type SearchDocument } from "../../domain/search/search.ts";

/** `english` needs the analysis-common module; the core-only distribution has `standard`. */
export type TextAnalyzer = "english" | "standard";

/** Bumped when the mapping changes incompatibly; recorded in the index `_meta`. */
export const SCHEMA_VERSION = 3;

/** Completion weight bonus for names that start with the typed prefix. */
export const LEADING_WEIGHT = 1_000_000;

export interface IndexShape {
  readonly analyzer: TextAnalyzer;
  readonly shards: number;
  readonly replicas: number;
}

/**
 * Settings and explicit mapping of one concrete index. Language analysis applies to name and
 * description; brand, category and tags are keywords (exact filters and facets) with a
 * `standard` text sub-field for matching; `all_text` gathers every searched word for the
 * did-you-mean term suggester. Deletes are tombstone documents (`deleted: true`) so that
 * their external version outlives `index.gc_deletes`.
 */
export function indexBody(shape: IndexShape) {
  // Term vectors let the fast vector highlighter work from the index: with fuzzy queries the
  // default highlighter re-analyzes every hit and costs 10-20x more (measured, 10k docs).
  const text = {
    type: "text",
    analyzer: shape.analyzer,
    term_vector: "with_positions_offsets",
  } as const;
  const keywordWithText = {
    type: "keyword",
    copy_to: "all_text",
    fields: { text: { type: "text", analyzer: "standard" } },
  } as const;
  return {
    settings: {
      number_of_shards: shape.shards,
      number_of_replicas: shape.replicas,
    },
    mappings: {
      dynamic: "strict",
      _meta: { analyzer: shape.analyzer, schemaVersion: SCHEMA_VERSION, owner: "polycart" },
      properties: {
        sku: { type: "keyword" },
        deleted: { type: "boolean" },
        name: {
          ...text,
          copy_to: "all_text",
          fields: { keyword: { type: "keyword", ignore_above: 256 } },
        },
        description: {
          ...text,
          copy_to: "all_text",
          fields: { keyword: { type: "keyword", ignore_above: 256 } },
        },
        slug: { type: "keyword" },
        category: keywordWithText,
        // The subtree filter (slugs root to leaf) and the child facet (ancestor-or-self
        // paths): plain keyword arrays, since the core distribution has no path_hierarchy.
        categories: { type: "keyword" },
        categoryPaths: { type: "keyword" },
        brand: keywordWithText,
        // Schema 3: the vendor's slug (filter, facet) and name (shown on hits).
        vendor: { type: "keyword" },
        vendorName: { type: "keyword", index: false },
        tags: keywordWithText,
        attrs: { type: "flattened" },
        priceCents: { type: "integer" },
        currency: { type: "keyword" },
        rating: { type: "float" },
        ratingCount: { type: "integer" },
        inStock: { type: "boolean" },
        publishedAt: { type: "date" },
        updatedAt: { type: "date" },
        version: { type: "long" },
        suggest: {
          type: "completion",
          analyzer: "standard",
          search_analyzer: "standard",
          max_input_length: 100,
        },
        all_text: { type: "text", analyzer: "standard" },
      },
    },
  } as const;
}

const WORD_START = /(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu;

/**
 * Characters the completion field refuses (its internal separators): a name holding one made
 * the whole document fail to index, so the product never became searchable.
 */
// deno-lint-ignore no-control-regex
const COMPLETION_RESERVED = /[\u0000\u001e\u001f]/g;

/**
 * Completion inputs: the name from each word on ("Lenovo ThinkPad X1", "ThinkPad X1", "X1"),
 * so a prefix of any word matches. The whole name weighs LEADING_WEIGHT more; within each,
 * the rating orders suggestions. Reserved characters become spaces.
 */
export function completionInputs(rawName: string, rating: number) {
  const name = rawName.replace(COMPLETION_RESERVED, " ");
  const byRating = Math.max(0, Math.round(rating * 1_000));
  const starts = [...name.matchAll(WORD_START)].map((m) => m.index ?? 0);
  const [first, ...rest] = starts;
  const inner = [...new Set(rest.map((at) => name.slice(at)))];
  const inputs = [];
  if (first !== undefined) {
    inputs.push({ input: [name.slice(first)], weight: LEADING_WEIGHT + byRating });
  }
  if (inner.length > 0) inputs.push({ input: inner, weight: byRating });
  return inputs;
}

/**
 * Key of the `attrs` entry holding `name=value` for each facet attribute's value: one terms
 * aggregation over it counts every attribute's values at once. `@` is no attribute name's.
 */
export const FACET_PAIRS = "@facets";

/**
 * The flattened `attrs` field: every attribute value of the product and its live variants per
 * name (filters: `attrs.<name>`), plus the facet pairs. Stored as keywords, compared as text.
 */
export function flattenedAttrs(doc: SearchDocument): Record<string, string[]> {
  const attrs: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(doc.facetAttrs)) attrs[name] = [...values];
  attrs[FACET_PAIRS] = doc.facetNames.flatMap((name) =>
    (doc.facetAttrs[name] ?? []).map((value) => `${name}=${value}`)
  );
  return attrs;
}

/** The `_source` of a live document. */
export function toSource(doc: SearchDocument) {
  return {
    sku: doc.sku,
    deleted: false,
    name: doc.name,
    slug: doc.slug,
    description: doc.description,
    category: doc.category,
    categories: [...categoryKeysOf(doc).categories],
    categoryPaths: [...categoryKeysOf(doc).categoryPaths],
    brand: doc.brand,
    ...(doc.vendor === undefined ? {} : { vendor: doc.vendor, vendorName: doc.vendorName }),
    tags: [...doc.tags],
    attrs: flattenedAttrs(doc),
    priceCents: doc.priceCents,
    currency: doc.currency,
    rating: doc.rating,
    ratingCount: doc.ratingCount,
    inStock: doc.inStock,
    publishedAt: doc.publishedAt?.toISOString() ?? null,
    updatedAt: doc.updatedAt.toISOString(),
    version: doc.version,
    suggest: completionInputs(doc.name, doc.rating),
  };
}

/** The `_source` of a tombstone: a delete that newer-or-equal writes must not undo. */
export function tombstone(sku: string, version: number) {
  return { sku, deleted: true, version };
}
