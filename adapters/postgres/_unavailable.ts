/**
 * PostgreSQL being unreachable is an outage, not a bug: connection failures become
 * `DependencyUnavailable("postgres")` (503 with Retry-After at the HTTP edge) instead of
 * unexpected errors (500). Applied once to the pool in `connectPostgres`, so every adapter,
 * query and transaction gets it without knowing.
 */
import postgres from "postgres";
import { DependencyUnavailable } from "../../domain/errors.ts";

type Sql = postgres.Sql;

/** Socket-level failures (Node-style codes) and postgres.js's own connection errors. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

/**
 * SQLSTATEs meaning "the server cannot serve this session now": class 08 (connection
 * exception), admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting
 * down) and too_many_connections.
 */
const SERVER_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) {
    return error.code.startsWith("08") || SERVER_STATES.has(error.code);
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

/** A connection failure as `DependencyUnavailable("postgres")`; anything else unchanged. */
export function toDomainError(error: unknown): unknown {
  if (error instanceof DependencyUnavailable) return error;
  return isConnectionFailure(error) ? new DependencyUnavailable("postgres", error) : error;
}

/**
 * Makes a (lazy) postgres.js query reject with the mapped error. The query object itself is
 * returned, still usable as a fragment inside another query; only its `then` is wrapped.
 */
function mapRejection<T extends Promise<unknown>>(query: T): T {
  const then = query.then;
  Object.defineProperty(query, "then", {
    configurable: true,
    writable: true,
    value(onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) {
      return then.call(query, onFulfilled, (error: unknown) => {
        const mapped = toDomainError(error);
        if (onRejected) return onRejected(mapped);
        throw mapped;
      });
    },
  });
  return query;
}

/**
 * The pool, with connection failures of its queries (tagged templates and `unsafe`) and
 * transactions (`begin`) mapped by `toDomainError`. Everything else passes through.
 */
export function withUnavailableAsDomainError(sql: Sql): Sql {
  return new Proxy(sql, {
    apply(target, thisArg, args) {
      const result = Reflect.apply(target, thisArg, args);
      return result instanceof Promise ? mapRejection(result) : result;
    },
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "unsafe") {
        return (...args: Parameters<Sql["unsafe"]>) => mapRejection(target.unsafe(...args));
      }
      if (property === "begin") {
        return (...args: unknown[]) =>
          (target.begin as (...a: unknown[]) => Promise<unknown>)(...args).catch(
            (error: unknown) => {
              throw toDomainError(error);
            },
          );
      }
      return value;
    },
  });
}
