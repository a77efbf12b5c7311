import { errors } from "@elastic/elasticsearch";
import { DependencyUnavailable } from "../../domain/errors.ts";

/** The server cannot be reached or cannot serve right now: the caller answers 503. */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof errors.ConnectionError || error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  ) return true;
  return error instanceof errors.ResponseError &&
    [429, 502, 503, 504].includes(error.statusCode ?? 0);
}

/** Connection-level failures become `DependencyUnavailable("elasticsearch")`; others pass. */
export function toDomainError(error: unknown): unknown {
  if (error instanceof DependencyUnavailable) return error;
  return isUnavailable(error) ? new DependencyUnavailable("elasticsearch", error) : error;
}

export function errorType(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const body = error.body as { error?: { type?: string } } | undefined;
  return body?.error?.type;
}

/** An external-version write that is not newer than what the index holds. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

export function isIndexNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 404 &&
    errorType(error) === "index_not_found_exception";
}
