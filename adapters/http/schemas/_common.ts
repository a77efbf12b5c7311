/**
 * Every request and response shape of the HTTP API, in zod. The routes validate with these
 * schemas and /openapi.json is generated from the very same objects, so the reference cannot
 * drift from what the server accepts. Named shapes carry an `id` and
 * become `#/components/schemas/<id>`. Request bodies are `z.strictObject`s, nested ones too:
 * an unknown field is a 400 naming it (strict_input_test.ts checks every route's body).
 *
 * One file per area under schemas/; this module holds what they share.
 */
import { z } from "zod";
import { ATTR_NAME } from "../../../domain/catalog/product.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../../domain/pagination.ts";

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

export const cents = (description: string) => doc(z.int().min(0), { description });
/**
 * Prices and counts a client may set are stored in the search index's 32-bit `integer` fields
 * (`priceCents`, `ratingCount`); a larger value would be refused there and never become
 * searchable. 2,147,483,647 cents is $21.4 million.
 */
export const MAX_INDEXED_INT = 2_147_483_647;
export const priceInput = (description: string) =>
  doc(z.int().min(0).max(MAX_INDEXED_INT), { description });
export const isoDateTime = (description: string) =>
  doc(z.iso.datetime({ offset: true }), { description });
/**
 * A publication time a client may set: from 1970 on. PostgreSQL stores years down to 4713 BC,
 * but the driver reads a year before 1000 back as an invalid Date (found by schemathesis), and
 * no catalog publishes before the epoch.
 */
export const publicationTime = (description: string) =>
  doc(
    z.iso.datetime({ offset: true }).refine((s) => Date.parse(s) >= 0, {
      message: "publishedAt must be 1970-01-01T00:00:00Z or later",
    }),
    { description },
  );
export const count = () => z.int().min(0);

/** Query strings carry text: integers are coerced, then range-checked. */
export const queryInt = (min: number, max: number, description: string) =>
  doc(z.coerce.number().int().min(min).max(max), { description });

export const Sku = doc(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), {
  description: "Stock keeping unit: 1-64 letters, digits, `.`, `_` or `-`.",
  examples: ["LAP-001"],
});
export const Slug = doc(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(200), {
  description: "URL-friendly name: lower-case words joined by `-`.",
});
export const Currency = doc(z.string().regex(/^[A-Z]{3}$/), {
  description: "ISO 4217 currency code.",
  examples: ["USD"],
});
export const ResourceId = doc(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), {
  description: "An opaque id (a UUID in production).",
});
export const Label = (max: number) => z.string().trim().min(1).max(max);

const AttrValue = z.union([z.string().max(200), z.number(), z.boolean()]);
export const Attrs = doc(z.record(z.string().regex(ATTR_NAME).max(64), AttrValue), {
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

export function pageOf<T extends z.ZodType>(item: T, id: string) {
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
