/**
 * One declaration per route: its documentation (read back by the OpenAPI generator from the
 * router), its access rule (enforced by the same object), and typed parsers for its path
 * parameters, query, headers and body built from the schemas in schemas.ts.
 */
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import { Forbidden, Unauthenticated } from "../../domain/errors.ts";
import type { Principal } from "../../application/identity/auth.ts";
import { explainer, type InputPart } from "./_explain.ts";
import {
  type FieldError,
  fieldErrorsOf,
  MalformedJson,
  type ProblemCode,
  UnsupportedMediaType,
  ValidationFailed,
} from "./problem.ts";

export interface AppEnv {
  Variables: {
    requestId: string;
    /** The caller when a valid bearer token came with the request. */
    identity: Principal | null;
    /** True when an Authorization header was sent (valid or not). */
    credentialsSent: boolean;
    clientIp: string;
  };
}

export type Access = "public" | "user" | "admin";
export type SuccessStatus = 200 | 201 | 202 | 204;

export interface RouteSpec {
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: Access;
  readonly params?: z.ZodObject;
  /** The query parameters a route takes (an object); any other name is refused with a 400. */
  readonly query?: z.ZodType;
  /** Free-form query parameters under a prefix (attribute filters), validated by key. */
  readonly queryPrefix?: { readonly prefix: string; readonly schema: z.ZodType };
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly success: {
    readonly status: SuccessStatus;
    readonly description: string;
    readonly schema?: z.ZodType;
    /** Defaults to application/json. */
    readonly contentType?: string;
    /** Response headers worth documenting (name -> description). */
    readonly headers?: Readonly<Record<string, string>>;
    /** Other success answers of the route (e.g. 202 while a payment waits for the customer). */
    readonly alternatives?: readonly {
      readonly status: SuccessStatus;
      readonly description: string;
      readonly schema: z.ZodType;
    }[];
  };
  /** Failures specific to this route; generic ones (400, 401, 403, 429, 500) are implied. */
  readonly problems?: readonly ProblemCode[];
}

/** Marks the guard middleware so the OpenAPI generator can find each route's spec. */
export const ROUTE_SPEC: unique symbol = Symbol("polycart.route-spec");

export type Guard = MiddlewareHandler<AppEnv> & { readonly [ROUTE_SPEC]: RouteSpec };

type Out<T> = T extends z.ZodType ? z.output<T> : never;

export interface Route<S extends RouteSpec> {
  readonly spec: S;
  /** First handler of the route: documents it and enforces `access`. */
  readonly guard: Guard;
  params(c: Context<AppEnv>): Out<S["params"]>;
  query(c: Context<AppEnv>): Out<S["query"]>;
  /** The `queryPrefix` parameters as validated `[name without prefix, value]` pairs. */
  prefixed(c: Context<AppEnv>): [string, string][];
  headers(c: Context<AppEnv>): Out<S["headers"]>;
  /**
   * Parses the JSON body (an empty body is `{}`) and validates it. The guard has already
   * refused a body sent as anything but JSON (415).
   */
  body(c: Context<AppEnv>): Promise<Out<S["body"]>>;
}

const EXPLAIN: Record<InputPart, z.core.$ZodErrorMap> = {
  body: explainer("body"),
  query: explainer("query"),
  headers: explainer("headers"),
  params: explainer("params"),
};

function validate<T extends z.ZodType>(schema: T, data: unknown, part: InputPart): z.output<T> {
  const result = schema.safeParse(data, { error: EXPLAIN[part] });
  if (!result.success) throw ValidationFailed.fromZod(result.error);
  return result.data;
}

/** `application/json` and `application/<anything>+json`, parameters (charset) aside. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * A body must be declared JSON: another type, or none at all, is 415 rather than a guess. An
 * empty body needs no type (routes whose fields are all optional may be called without one).
 */
async function requireJsonBody(c: Context<AppEnv>): Promise<void> {
  const type = c.req.header("content-type") || null;
  if (type !== null && JSON_MEDIA_TYPE.test(type.split(";")[0].trim())) return;
  if ((await c.req.text()).trim() === "") return;
  throw new UnsupportedMediaType(type);
}

/** The names of an object schema's members, through pipes (`.transform()`, `z.preprocess`). */
function namesOf(schema: z.ZodType): string[] {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodPipe) {
    current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
  }
  if (!(current instanceof z.ZodObject)) throw new Error("a query schema must be an object");
  return Object.keys(current.shape);
}

/** The authenticated caller; routes whose access is "user" or "admin" always have one. */
export function principalOf(c: Context<AppEnv>): Principal {
  const identity = c.get("identity");
  if (!identity) throw new Unauthenticated();
  return identity;
}

export function route<const S extends RouteSpec>(spec: S): Route<S> {
  const queryNames = new Set(spec.query ? namesOf(spec.query) : []);
  const prefix = spec.queryPrefix?.prefix;
  /** Validates the named and prefixed parameters together, so one 400 names every fault. */
  const checkQuery = (c: Context<AppEnv>) => {
    // An empty value (`?limit=`) counts as absent, so defaults apply.
    const raw = Object.entries(c.req.query()).filter(([, value]) => value !== "");
    const options = { error: EXPLAIN.query };
    const result = need(spec.query, "query").safeParse(Object.fromEntries(raw), options);
    const issues = result.success ? [] : [...result.error.issues];
    if (spec.queryPrefix) {
      const prefixed = spec.queryPrefix.schema.safeParse(
        prefixedEntries(c, spec.queryPrefix),
        options,
      );
      if (!prefixed.success) issues.push(...prefixed.error.issues);
    }
    // A valid query (nearly every request) builds no error objects: they capture a stack.
    return { result, errors: issues.length === 0 ? [] : fieldErrorsOf(issues) };
  };
  /** Parameters the route does not take: a typo (`categroy`) must not silently match all. */
  const unknownQuery = (c: Context<AppEnv>): FieldError[] =>
    Object.keys(c.req.query())
      .filter((name) => !queryNames.has(name) && !(prefix && name.startsWith(prefix)))
      .map((name) => ({ path: name, message: `unknown query parameter: ${name}` }));
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (spec.access !== "public") {
      const identity = c.get("identity");
      if (!identity) {
        throw new Unauthenticated(
          c.get("credentialsSent")
            ? "the bearer token is invalid, expired or revoked"
            : "this route needs an Authorization: Bearer <token> header",
        );
      }
      if (spec.access === "admin" && identity.user.role !== "admin") throw new Forbidden();
    }
    const unknown = unknownQuery(c);
    if (unknown.length > 0) {
      throw new ValidationFailed([...unknown, ...(spec.query ? checkQuery(c).errors : [])]);
    }
    if (spec.body) await requireJsonBody(c);
    await next();
  };
  return {
    spec,
    guard: Object.assign(guard, { [ROUTE_SPEC]: spec }),
    params: (c) =>
      validate(need(spec.params, "params"), c.req.param(), "params") as Out<S["params"]>,
    query: (c) => {
      const { result, errors } = checkQuery(c);
      if (!result.success || errors.length > 0) throw new ValidationFailed(errors);
      return result.data as Out<S["query"]>;
    },
    prefixed: (c) => {
      const { prefix, schema } = need(spec.queryPrefix, "queryPrefix");
      const entries = prefixedEntries(c, { prefix });
      validate(schema, entries, "query");
      return Object.entries(entries).map(([key, value]) => [key.slice(prefix.length), value]);
    },
    headers: (c) => {
      const schema = need(spec.headers, "headers");
      const raw: Record<string, string> = {};
      for (const name of Object.keys(schema.shape)) {
        const value = c.req.header(name);
        if (value !== undefined) raw[name] = value;
      }
      return validate(schema, raw, "headers") as Out<S["headers"]>;
    },
    body: async (c) => {
      const schema = need(spec.body, "body");
      const text = await c.req.text();
      let data: unknown = {};
      if (text.trim() !== "") {
        try {
          data = JSON.parse(text);
        } catch {
          throw new MalformedJson();
        }
      }
      return validate(schema, data, "body") as Out<S["body"]>;
    },
  };
}

/** Query parameters whose name starts with `prefix` (the first value of each). */
function prefixedEntries(c: Context<AppEnv>, spec: { prefix: string }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(c.req.query()).filter(([key]) => key.startsWith(spec.prefix)),
  );
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`route declares no ${what} schema`);
  return value;
}
