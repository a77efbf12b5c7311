/**
 * Generates the OpenAPI 3.1 document from the router itself: every route's guard carries its
 * spec (schemas from schemas.ts, access rule, problems), so what is documented is what is
 * mounted and validated.
 */
import { z } from "zod";
import { ADMISSION_EXEMPT, RATE_LIMIT_EXEMPT } from "./_middleware.ts";
import {
  components,
  parameters,
  prefixedParameter,
  REF_PREFIX,
  schemaOf,
} from "./_openapi_schemas.ts";
import { DESCRIPTION, PROBLEM_TYPES, TAGS } from "./_openapi_text.ts";
import { REQUEST_EXAMPLES } from "./_request_examples.ts";
import { ROUTE_SPEC, type RouteSpec } from "./_route.ts";
import { type ProblemCode, PROBLEMS, problemType } from "./problem.ts";
import { Problem } from "./schemas.ts";

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
