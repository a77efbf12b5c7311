/** zod schemas as OpenAPI 3.1 JSON Schema: components, parameters, inline schemas. */
import { z } from "zod";
import type { RouteSpec } from "./_route.ts";
import { COMPONENT_IDS } from "./schemas.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const FORMATS_WITH_PATTERN = new Set(["date-time", "date", "email", "uri", "uuid", "guid"]);

/** Drops zod's noise: `$schema`/`$id`, format regexes, and the safe-integer bounds. */
export function tidy(node: Json): Json {
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

export const REF_PREFIX = "#/components/schemas/";

export function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
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

export function components(requestIds: ReadonlySet<string>): Record<string, Json> {
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

export function objectOf(schema: z.ZodType): z.ZodObject {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodPipe) current = current.in as z.ZodType;
  if (!(current instanceof z.ZodObject)) throw new Error("parameters must be an object schema");
  return current;
}

export function parameters(where: "path" | "query" | "header", schema: z.ZodType): Json[] {
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
export function prefixedParameter(spec: NonNullable<RouteSpec["queryPrefix"]>): Json {
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
