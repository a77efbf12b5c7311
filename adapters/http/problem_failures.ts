/**
 * The HTTP adapter's own typed failures (the domain knows nothing of these): each carries a
 * literal problem code, like a `DomainError`, and the data its problem body lists.
 */
import type { z } from "zod";
import type { RateDecision } from "../../ports/rate_limiter.ts";
import type { ProblemCode } from "./problem_codes.ts";

/** Base of the adapter's own typed failures; like `DomainError`, each has a literal code. */
export abstract class HttpFailure extends Error {
  abstract readonly code: ProblemCode;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * At most this many entries are listed: a body of a million unknown keys must not be answered
 * with a response several times its size. The detail says how many more there were.
 */
export const MAX_FIELD_ERRORS = 50;

export class ValidationFailed extends HttpFailure {
  readonly code = "validation_failed";
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[]) {
    const more = errors.length - MAX_FIELD_ERRORS;
    super(
      (errors.slice(0, MAX_FIELD_ERRORS).map((e) => e.message).join("; ") || "invalid input") +
        (more > 0 ? `; and ${more} more` : ""),
    );
    this.errors = errors.slice(0, MAX_FIELD_ERRORS);
  }

  static fromZod(error: z.ZodError): ValidationFailed {
    return new ValidationFailed(fieldErrorsOf(error.issues));
  }
}

/**
 * Field paths are the names the client sent: `items[0].qty`, `page`, `Idempotency-Key`.
 * One entry per unknown field, and one per path (the first problem found there), so no
 * field is listed twice.
 */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors = new Map<string, FieldError>();
  for (const issue of issues) {
    const found = issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => formatPath([...issue.path, key]))
        .map((path) => ({ path, message: unknownField(path) }))
      : [{ path: formatPath(issue.path), message: issue.message }];
    for (const entry of found) if (!errors.has(entry.path)) errors.set(entry.path, entry);
  }
  return [...errors.values()];
}

/** A body on a JSON route sent as something else (or with no `Content-Type` at all). */
export class UnsupportedMediaType extends HttpFailure {
  readonly code = "unsupported_media_type";
  constructor(readonly contentType: string | null) {
    super(
      `send the request body as application/json (${
        contentType === null ? "no Content-Type was given" : `got ${contentType}`
      })`,
    );
  }
}

export class MalformedJson extends HttpFailure {
  readonly code = "malformed_json";
  constructor() {
    super("the request body is not valid JSON");
  }
}

export class PayloadTooLarge extends HttpFailure {
  readonly code = "payload_too_large";
  constructor(readonly maxBytes: number) {
    super(`the request body exceeds ${maxBytes} bytes`);
  }
}

export class RouteNotFound extends HttpFailure {
  readonly code = "route_not_found";
  constructor(readonly method: string, readonly path: string) {
    super(`no route for ${method} ${path}`);
  }
}

export class MethodNotAllowed extends HttpFailure {
  readonly code = "method_not_allowed";
  constructor(readonly method: string, readonly allow: readonly string[]) {
    super(`${method} is not allowed here; use ${allow.join(", ")}`);
  }
}

/** More requests in flight than the process admits (`MAX_REQUESTS_IN_FLIGHT`): shed at once. */
export class Overloaded extends HttpFailure {
  readonly code = "overloaded";
  constructor(readonly limit: number, kind: "requests" | "writes" = "requests") {
    super(`the server is handling its limit of ${limit} ${kind} at once; retry shortly`);
  }
}

export class RateLimited extends HttpFailure {
  readonly code = "rate_limited";
  constructor(readonly decision: RateDecision) {
    super("rate limit exceeded; retry later");
  }
}

export interface CheckOutcome {
  readonly name: string;
  readonly critical: boolean;
  readonly status: "ok" | "down";
  readonly latencyMs: number;
}

export class NotReady extends HttpFailure {
  readonly code = "not_ready";
  constructor(readonly checks: readonly CheckOutcome[]) {
    super(
      `critical dependencies down: ${
        checks.filter((c) => c.critical && c.status === "down").map((c) => c.name).join(", ")
      }`,
    );
  }
}

/** The message for a member the schema does not know, at its full path. */
export function unknownField(path: string): string {
  return `unknown field: ${path}`;
}

/** A field path as the client wrote it: `items[0].qty`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)
    .join("");
}
