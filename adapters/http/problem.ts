/**
 * The one place that knows error status codes: maps domain error codes and the HTTP
 * adapter's own failures to RFC 9457 `application/problem+json` responses. The code table is
 * in `problem_codes.ts`, the adapter's own failures in `problem_failures.ts`, and each
 * failure's extension members and headers in `problem_members.ts`; all are exported from here.
 */
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import type { Logger } from "../../ports/logger.ts";
import type { StoredResponse } from "../../ports/idempotency.ts";
import { isProblemCode, type ProblemCode, PROBLEMS, problemType } from "./problem_codes.ts";
import { HttpFailure, ValidationFailed } from "./problem_failures.ts";
import { extensions, headersFor } from "./problem_members.ts";

export { isProblemCode, type ProblemCode, PROBLEMS, problemType } from "./problem_codes.ts";
export {
  type CheckOutcome,
  type FieldError,
  fieldErrorsOf,
  formatPath,
  HttpFailure,
  MalformedJson,
  MAX_FIELD_ERRORS,
  MethodNotAllowed,
  NotReady,
  Overloaded,
  PayloadTooLarge,
  RateLimited,
  RouteNotFound,
  unknownField,
  UnsupportedMediaType,
  ValidationFailed,
} from "./problem_failures.ts";
export {
  DEPENDENCY_RETRY_AFTER_S,
  OVERLOAD_RETRY_AFTER_S,
  rateLimitHeaders,
} from "./problem_members.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface Problem {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

function codeOf(error: Error): ProblemCode | null {
  if (error instanceof z.ZodError) return "validation_failed";
  if (!(error instanceof DomainError || error instanceof HttpFailure)) return null;
  // A domain code this table does not know yet is a bug: it surfaces as a logged 500.
  return isProblemCode(error.code) && error.code !== "internal_error" ? error.code : null;
}

function build(
  code: ProblemCode,
  detail: string,
  instance: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const { status, title } = PROBLEMS[code];
  const standard = { type: problemType(code), title, status, detail, instance };
  // Extensions follow the standard members and never overwrite them.
  const extensions = Object.entries(extra).filter(([key]) => !Object.hasOwn(standard, key));
  return { ...standard, ...Object.fromEntries(extensions) };
}

/**
 * The problem for a known failure, or null for an unexpected one (which must be logged and
 * answered as a generic 500).
 */
export function problemOf(error: unknown, instance: string): Problem | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof z.ZodError) return problemOf(ValidationFailed.fromZod(error), instance);
  const code = codeOf(error);
  if (code === null) {
    if (error instanceof HTTPException && error.status < 500) {
      const mapped: ProblemCode = error.status === 413
        ? "payload_too_large"
        : error.status === 400
        ? "malformed_json"
        : "validation_failed";
      return {
        status: PROBLEMS[mapped].status,
        body: build(mapped, error.message || PROBLEMS[mapped].title, instance, {}),
        headers: {},
      };
    }
    return null;
  }
  const { status } = PROBLEMS[code];
  return {
    status,
    body: build(code, error.message, instance, extensions(error)),
    headers: headersFor(error, status),
  };
}

/**
 * What an idempotent execution stores for a failure: client errors (4xx) become their
 * problem response, so a replay answers the same status and body. Anything else is
 * rethrown, which releases the key (the request failed on our side and may be retried).
 */
export function storedProblem(error: unknown, instance: string): StoredResponse {
  const problem = problemOf(error, instance);
  if (!problem || problem.status >= 500) throw error;
  return { status: problem.status, body: problem.body };
}

export function problemResponse(c: Context, problem: Problem): Response {
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  c.header("Content-Type", PROBLEM_CONTENT_TYPE);
  // deno-lint-ignore no-explicit-any
  return c.body(JSON.stringify(problem.body), problem.status as any);
}

/** Answers a known failure as its problem; logs anything else and answers a generic 500. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const instance = c.req.path;
    const problem = problemOf(error, instance);
    if (problem) return problemResponse(c, problem);
    const requestId: string | undefined = c.get("requestId");
    logger.error("unhandled error", {
      requestId,
      method: c.req.method,
      path: instance,
      error,
    });
    return problemResponse(c, {
      status: 500,
      body: build(
        "internal_error",
        "An unexpected error occurred. Quote the request id when reporting it.",
        instance,
        { requestId },
      ),
      headers: {},
    });
  };
}
