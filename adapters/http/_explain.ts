/**
 * Validation messages a client can act on, in words: "qty is required", "qty must be an
 * integer from 1 to 1000", "from must be an ISO 8601 date". One zod error map, passed to every
 * parse of request input (_route.ts), reads what is expected from the schema that raised the
 * issue, so every schema, present or future, is explained the same way. A message a schema
 * sets itself (a refinement's) outranks this map, as zod's precedence has it.
 */
import type { z } from "zod";
import { formatPath, unknownField } from "./problem.ts";

/** Where the input came from: names the subject of an issue about the whole input. */
export type InputPart = "body" | "query" | "headers" | "params";

const WHOLE: Record<InputPart, string> = {
  body: "the request body",
  query: "the query",
  headers: "the headers",
  params: "the path",
};

/** The error map for input from `part` (zod calls it with the issue's full path). */
export function explainer(part: InputPart): z.core.$ZodErrorMap {
  return (issue) => {
    const path = issue.path ?? [];
    const subject = path.length > 0 ? formatPath(path) : WHOLE[part];
    switch (issue.code) {
      case "custom": // a refinement without words of its own
        return `${subject} is invalid`;
      case "unrecognized_keys":
        return issue.keys.map((key) => unknownField(formatPath([...path, key]))).join("; ");
      case "invalid_key": {
        const keys = (issue.schema?._zod.def as Def | undefined)?.keyType;
        const rule = keys ? describe(keys) : undefined;
        return `${subject} is not an allowed name${rule ? `: a name must be ${rule}` : ""}`;
      }
    }
    if (issue.input === undefined) return `${subject} is required`;
    if (issue.input === "") return `${subject} must not be empty`;
    // zod names the schema that owns the issue, also when one of its checks raised it.
    const expected = issue.schema && describe(issue.schema);
    return expected ? `${subject} must be ${expected}` : `${subject} is invalid`;
  };
}

// ---- What a schema expects, as a noun phrase ----

interface Def {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly keyType?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly checks?: readonly z.core.$ZodCheck[];
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
}

/** Bounds this large mean "no bound" (z.int()'s safe-integer range). */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** " from 1 to 1000", " of at most 200 characters"; "" without bounds. */
function range(min: number | null, max: number | null, unit = ""): string {
  const lo = min !== null && Math.abs(min) < UNBOUNDED ? min : null;
  const hi = max !== null && Math.abs(max) < UNBOUNDED ? max : null;
  if (lo !== null && hi !== null) {
    if (lo === hi) return ` of exactly ${lo}${unit}`;
    return unit ? ` of ${lo} to ${hi}${unit}` : ` from ${lo} to ${hi}`;
  }
  if (lo !== null) return ` of at least ${lo}${unit}`;
  if (hi !== null) return ` of at most ${hi}${unit}`;
  return "";
}

function checksOf(def: Def): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def as unknown as CheckDef);
}

function describeNumber(schema: z.ZodNumber): string {
  const what = schema.isInt ? "an integer" : "a number";
  return what + range(schema.minValue, schema.maxValue);
}

function describeString(schema: z.ZodString): string {
  const format = schema.format;
  const pattern = checksOf(schema._zod.def as unknown as Def)
    .find((check) => check.format === "regex")?.pattern;
  const what = format === "email"
    ? "an email address"
    : format === "url"
    ? "a URL"
    : format === "date"
    ? "an ISO 8601 date (YYYY-MM-DD)"
    : format === "datetime"
    ? "an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z"
    : pattern
    ? `a string matching ${pattern.source}`
    : "a string";
  return what + range(schema.minLength, schema.maxLength, " characters");
}

function isIsoString(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def as unknown as Def;
  return def.type === "string" && ["date", "datetime"].includes(
    (schema as unknown as z.ZodString).format ?? "",
  );
}

function oneOf(values: readonly unknown[]): string {
  return values.length === 1 ? String(values[0]) : `one of ${values.map(String).join(", ")}`;
}

/** A noun phrase for what `schema` accepts: "an integer from 1 to 1000". */
function describe(schema: z.core.$ZodType): string | undefined {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case "optional":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return def.innerType && describe(def.innerType);
    case "nullable": {
      const inner = def.innerType && describe(def.innerType);
      return inner && `${inner}, or null`;
    }
    case "pipe": // what goes in, unless that is a preprocessing function (z.preprocess)
      return def.in?._zod.def.type === "transform"
        ? def.out && describe(def.out)
        : def.in && describe(def.in);
    case "number":
      return describeNumber(schema as unknown as z.ZodNumber);
    case "string":
      return describeString(schema as unknown as z.ZodString);
    case "boolean":
      return "true or false";
    case "null":
      return "null";
    case "enum":
      return oneOf(Object.values(def.entries ?? {}));
    case "literal":
      return oneOf(def.values ?? []);
    case "array": {
      const checks = checksOf(def);
      const min = checks.find((c) => c.check === "min_length")?.minimum ?? null;
      const max = checks.find((c) => c.check === "max_length")?.maximum ?? null;
      return `an array${range(min, max, " items")}`;
    }
    case "object":
    case "record":
      return "a JSON object";
    case "union": {
      const options = def.options ?? [];
      // A date or a date-time: both are ISO 8601 dates to a client.
      if (options.length > 0 && options.every(isIsoString)) return "an ISO 8601 date";
      const phrases = options.map(describe);
      if (phrases.some((p) => p === undefined)) return undefined;
      return [...new Set(phrases)].join(" or ");
    }
    default:
      return undefined;
  }
}
