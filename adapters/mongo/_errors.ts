import {
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import { DependencyUnavailable } from "../../domain/errors.ts";

/** The server cannot be reached (or the client was closed under us): the caller answers 503. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError;
}

/** Connection-level failures become `DependencyUnavailable("mongodb")`; others pass. */
export function toDomainError(error: unknown): unknown {
  if (error instanceof DependencyUnavailable) return error;
  return isUnavailable(error) ? new DependencyUnavailable("mongodb", error) : error;
}

/** MongoDB's codes for "this resume point is no longer in the oplog". */
const HISTORY_LOST_CODES = new Set([
  286, // ChangeStreamHistoryLost
  136, // CappedPositionLost
]);

/**
 * True when a change stream cannot resume from its token because the oplog has moved past it:
 * ChangeStreamHistoryLost (286), CappedPositionLost (136), or the older servers' fatal error
 * (280, ChangeStreamFatalError) saying the resume token was not found.
 */
export function isHistoryLost(error: unknown): error is MongoServerError {
  if (!(error instanceof MongoServerError)) return false;
  if (typeof error.code === "number" && HISTORY_LOST_CODES.has(error.code)) return true;
  if (error.codeName === "ChangeStreamHistoryLost") return true;
  return (error.code === 280 || error.codeName === "ChangeStreamFatalError") &&
    /resume (token|point)|no longer (be )?in the oplog/i.test(error.message);
}

export function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * Which product key a duplicate-key error is about: from `keyPattern` where the server sends
 * it (real MongoDB), else from the index name in the message (`index: slug_unique dup key`).
 */
export function duplicateField(error: MongoServerError): "sku" | "slug" | undefined {
  const pattern = error.keyPattern as Record<string, unknown> | undefined;
  const named = pattern && Object.keys(pattern).length > 0
    ? Object.keys(pattern)
    : [/index: (\S+)/.exec(error.message)?.[1]];
  if (named.some((n) => n === "_id" || n === "_id_" || n === "sku" || n === "sku_unique")) {
    return "sku";
  }
  if (named.some((n) => n === "slug" || n === "slug_unique")) return "slug";
  return undefined;
}
