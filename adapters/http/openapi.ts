/**
 * Generates the OpenAPI 3.1 document from the router itself: every route's guard carries its
 * spec (schemas from schemas.ts, access rule, problems), so what is documented is what is
 * mounted and validated.
 */
import { z } from "zod";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../domain/pagination.ts";
import { ADMISSION_EXEMPT, MAX_BODY_BYTES, RATE_LIMIT_EXEMPT } from "./_middleware.ts";
import { REQUEST_EXAMPLES } from "./_request_examples.ts";
import { ROUTE_SPEC, type RouteSpec } from "./_route.ts";
import { type ProblemCode, PROBLEMS, problemType } from "./problem.ts";
import { COMPONENT_IDS, Problem } from "./schemas.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

export interface MountedRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: unknown;
}

export interface DocumentedRoute {
  readonly method: string;
  /** Hono syntax: `/orders/:id`. */
  readonly path: string;
  readonly spec: RouteSpec;
}

const TAGS: readonly { name: string; description: string }[] = [
  { name: "Auth", description: "Accounts and sessions (opaque bearer tokens)." },
  { name: "Account", description: "The caller's own profile and loyalty standing." },
  { name: "Products", description: "Catalog browsing." },
  {
    name: "Categories",
    description: "The category tree, with attribute definitions inherited down the tree.",
  },
  {
    name: "Vendors",
    description: "Vendor profiles: flexible documents with category-specific `details`, " +
      "their products and a typo-tolerant vendor search.",
  },
  { name: "Cart", description: "One cart per user; lines expire 30 days after the last change." },
  { name: "Orders", description: "Orders reserve stock until paid or expired." },
  { name: "Payments", description: "Paying pending orders." },
  { name: "Search", description: "Full-text search, facets and suggestions." },
  { name: "Leaderboards", description: "Best sellers and loyal customers." },
  { name: "Admin", description: "Catalog, inventory, orders, analytics and search operations." },
  {
    name: "Support",
    description: "Finding orders and customers for the people who answer them (admins).",
  },
  { name: "Operations", description: "Probes and this reference." },
];

const DESCRIPTION = [
  "JSON over HTTP. Authenticate with `Authorization: Bearer <token>` from register or login.",
  "Money is always integer cents with a currency (`priceCents`, `unitPriceCents`, " +
  "`totalCents`; the /search `minPrice` and `maxPrice` filters are cents too). Times are ISO " +
  "8601 strings in UTC.",
  `Lists take \`page\` (from 1) and \`size\` (1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}) ` +
  "and answer `{items, page, size, total}`.",
  "Errors are RFC 9457 `application/problem+json`; `type` links to the problem's entry in " +
  "this reference. Invalid input is 400 with `errors: [{path, message}]`.",
  "Input is strict: a query parameter a route does not declare, or a body field its schema " +
  "does not name (at any depth), is 400 naming it; an empty `Idempotency-Key` is 400; a " +
  "body must be sent as `application/json` (parameters such as `charset`, and " +
  "`application/*+json`, are fine), anything else, or a body without `Content-Type`, is 415.",
  "Every response carries `X-Request-Id`. Requests are rate limited per user (per client " +
  "address when anonymous); responses carry `RateLimit-Limit`, `RateLimit-Remaining` and " +
  "`RateLimit-Reset` (seconds), and 429 adds `Retry-After`. /health, /ready, /openapi.json " +
  `and /docs are not limited. Bodies over ${MAX_BODY_BYTES} bytes are 413. When the server ` +
  "already handles its limit of requests (or, for a write, of writes) at once, any route but " +
  "/health and /ready answers 503 " +
  "`overloaded` with `Retry-After` at once; retry after that many seconds.",
  "`POST /orders` and `POST /payments` honour `Idempotency-Key`.",
].join("\n\n");

/**
 * One heading per problem code, so a problem's `type` (`/docs#problem-<code>`) has an entry in
 * the reference (/docs/page.js sends that anchor to the heading's).
 */
const PROBLEM_TYPES = [
  "## Problem types",
  "Every error is `application/problem+json` with `type`, `title`, `status`, `detail` and " +
  "`instance`; `type` is `/docs#problem-<code>`, one of:",
  ...Object.entries(PROBLEMS).map(([code, p]) =>
    // Spaces for `_` in the heading: its anchor is the same, and the sidebar would read
    // `route_not_found` as emphasis.
    `### Problem: ${code.replaceAll("_", " ")}\n\n\`${code}\`: status ${p.status}, ${p.title}.`
  ),
].join("\n\n");

/** The routes whose first handler carries a spec, in mounting order. */
export function documentedRoutes(routes: readonly MountedRoute[]): DocumentedRoute[] {
  const seen = new Set<string>();
  const out: DocumentedRoute[] = [];
  for (const r of routes) {
    const spec = (r.handler as { [ROUTE_SPEC]?: RouteSpec })[ROUTE_SPEC];
    const key = `${r.method} ${r.path}`;
    if (!spec || seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path, spec });
  }
  return out;
}

/** Routes a method is served on but no spec documents (should be none). */
export function undocumentedRoutes(routes: readonly MountedRoute[]): string[] {
  const documented = new Set(documentedRoutes(routes).map((r) => `${r.method} ${r.path}`));
  return [
    ...new Set(
      routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`)
        .filter((key) => !documented.has(key)),
    ),
  ];
}

export function openApiPath(path: string): string {
  return path.split("/").map((s) => (s.startsWith(":") ? `{${s.slice(1)}}` : s)).join("/");
}

function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

const FORMATS_WITH_PATTERN = new Set(["date-time", "date", "email", "uri", "uuid", "guid"]);

/** Drops zod's noise: `$schema`/`$id`, format regexes, and the safe-integer bounds. */
function tidy(node: Json): Json {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "$id") continue;
    if (key === "pattern" && FORMATS_WITH_PATTERN.has(node.format)) continue;
    if (
      (key === "maximum" || key === "minimum") &&
      Math.abs(value as number) === Number.MAX_SAFE_INTEGER
    ) continue;
    out[key] = tidy(value);
  }
  return out;
}

const REF_PREFIX = "#/components/schemas/";

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const id = z.globalRegistry.get(schema)?.id;
  if (id && COMPONENT_IDS.has(id)) return { $ref: `${REF_PREFIX}${id}` };
  return tidy(
    z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
    }),
  );
}

function components(requestIds: ReadonlySet<string>): Record<string, Json> {
  const render = (io: "input" | "output") =>
    z.toJSONSchema(z.globalRegistry, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      uri: (id) => `${REF_PREFIX}${id}`,
    }).schemas;
  const input = render("input");
  const output = render("output");
  const out: Record<string, Json> = {};
  for (const id of [...COMPONENT_IDS].sort()) {
    out[id] = tidy(requestIds.has(id) ? input[id] : output[id]);
  }
  return out;
}

function objectOf(schema: z.ZodType): z.ZodObject {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodPipe) current = current.in as z.ZodType;
  if (!(current instanceof z.ZodObject)) throw new Error("parameters must be an object schema");
  return current;
}

function parameters(where: "path" | "query" | "header", schema: z.ZodType): Json[] {
  const json = tidy(z.toJSONSchema(objectOf(schema), {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }));
  const required = new Set<string>(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as Json;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * The free-form parameters under a prefix, as one exploded object. No `example`: the reference
 * would send it as one literal parameter named after the title.
 */
function prefixedParameter(spec: NonNullable<RouteSpec["queryPrefix"]>): Json {
  const json = schemaOf(spec.schema, "input");
  const { description, title, examples: _, ...schema } = json;
  return {
    name: title ?? `${spec.prefix}*`,
    in: "query",
    required: false,
    style: "form",
    explode: true,
    description,
    schema,
  };
}

const STANDARD_HEADERS: Record<string, Json> = {
  "X-Request-Id": {
    description: "Identifies the request in the logs (echoes a sane incoming one).",
    schema: { type: "string" },
  },
};

const RATE_HEADERS: Record<string, Json> = {
  "RateLimit-Limit": { description: "Requests allowed per window.", schema: { type: "integer" } },
  "RateLimit-Remaining": {
    description: "Requests left in the window.",
    schema: { type: "integer" },
  },
  "RateLimit-Reset": {
    description: "Seconds until the window frees a slot.",
    schema: { type: "integer" },
  },
};

function problemsOf(route: DocumentedRoute): ProblemCode[] {
  const { spec } = route;
  const codes = new Set<ProblemCode>(spec.problems ?? []);
  // Every route refuses query parameters it does not declare, so every route may answer 400.
  codes.add("validation_failed");
  if (spec.body) {
    codes.add("malformed_json");
    codes.add("payload_too_large");
    codes.add("unsupported_media_type");
  }
  if (spec.access !== "public") codes.add("unauthenticated");
  if (spec.access === "admin") codes.add("forbidden");
  if (!RATE_LIMIT_EXEMPT.has(route.path)) codes.add("rate_limited");
  codes.add("internal_error");
  // Admission control (MAX_REQUESTS_IN_FLIGHT) sheds any route but the probes.
  if (!ADMISSION_EXEMPT.has(route.path)) codes.add("overloaded");
  return [...codes];
}

function problemResponses(route: DocumentedRoute): Record<string, Json> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(route)) {
    const { status } = PROBLEMS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, Json> = { ...STANDARD_HEADERS };
    if (status === 401) {
      headers["WWW-Authenticate"] = { description: "`Bearer`", schema: { type: "string" } };
    }
    if (status === 412) {
      headers.ETag = {
        description: "The current version's entity tag.",
        schema: { type: "string" },
      };
    }
    if (status === 429 || status === 503) {
      headers["Retry-After"] = { description: "Seconds to wait.", schema: { type: "integer" } };
    }
    out[String(status)] = {
      description: codes.map((c) => `${PROBLEMS[c].title} (\`${problemType(c)}\`)`).join("; "),
      headers,
      content: { "application/problem+json": { schema: schemaOf(Problem, "output") } },
    };
  }
  return out;
}

function operation(route: DocumentedRoute, schemas: Record<string, Json>): Json {
  const { spec } = route;
  const success = spec.success;
  const limited = !RATE_LIMIT_EXEMPT.has(route.path);
  const successHeaders: Record<string, Json> = {
    ...STANDARD_HEADERS,
    ...(limited ? RATE_HEADERS : {}),
    ...Object.fromEntries(
      Object.entries(success.headers ?? {}).map(([name, description]) => [
        name,
        { description, schema: { type: "string" } },
      ]),
    ),
  };
  const contentType = success.contentType ?? "application/json";
  const op: Json = {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: operationId(route.method, route.path),
    parameters: [
      ...(spec.params ? parameters("path", spec.params) : []),
      ...(spec.query ? parameters("query", spec.query) : []),
      ...(spec.queryPrefix ? [prefixedParameter(spec.queryPrefix)] : []),
      ...(spec.headers ? parameters("header", spec.headers) : []),
    ],
    responses: {
      [String(success.status)]: {
        description: success.description,
        headers: successHeaders,
        ...(success.schema
          ? { content: { [contentType]: { schema: schemaOf(success.schema, "output") } } }
          : {}),
      },
      ...Object.fromEntries((success.alternatives ?? []).map((alt) => [String(alt.status), {
        description: alt.description,
        headers: successHeaders,
        content: { "application/json": { schema: schemaOf(alt.schema, "output") } },
      }])),
      ...problemResponses(route),
    },
  };
  if (spec.body) {
    const schema = schemaOf(spec.body, "input");
    const resolved = schema.$ref ? schemas[schema.$ref.slice(REF_PREFIX.length)] : schema;
    const examples = REQUEST_EXAMPLES[`${route.method} ${route.path}`];
    op.requestBody = {
      // A body whose every field is optional may be left out.
      required: (resolved?.required?.length ?? 0) > 0,
      content: { "application/json": { schema, ...(examples ? { examples } : {}) } },
    };
  }
  if (spec.access !== "public") op.security = [{ bearerAuth: [] }];
  if (spec.access === "admin") op["x-required-role"] = "admin";
  return op;
}

export interface OpenApiOptions {
  readonly title?: string;
  readonly version?: string;
}

export function buildOpenApi(
  routes: readonly MountedRoute[],
  options: OpenApiOptions = {},
): Record<string, Json> {
  const documented = documentedRoutes(routes);
  const requestIds = new Set<string>();
  for (const { spec } of documented) {
    const id = spec.body && z.globalRegistry.get(spec.body)?.id;
    if (id) requestIds.add(id);
  }
  const schemas = components(requestIds);
  const paths: Record<string, Json> = {};
  for (const route of documented) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, schemas);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: options.title ?? "Polycart API",
      version: options.version ?? "1.0.0",
      description: `${DESCRIPTION}\n\n${PROBLEM_TYPES}`,
    },
    servers: [{ url: "/" }],
    tags: TAGS,
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "Opaque session token from POST /auth/register or POST /auth/login.",
        },
      },
    },
    "x-problem-types": Object.fromEntries(
      Object.entries(PROBLEMS).map(([code, p]) => [
        problemType(code as ProblemCode),
        { code, ...p },
      ]),
    ),
  };
}
