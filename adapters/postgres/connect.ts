import postgres from "postgres";
import type { HealthCheck } from "../../ports/health.ts";
import { withUnavailableAsDomainError } from "./_unavailable.ts";

/** The pool every PostgreSQL adapter shares (postgres.js). Close it with `sql.end()`. */
export type Sql = postgres.Sql;

export interface PostgresConfig {
  readonly url: string;
  /** Pool size (connections). Default 10. */
  readonly poolSize?: number;
  /** Server-side `statement_timeout` per statement; 0 disables it. Default 5000 ms. */
  readonly statementTimeoutMs?: number;
  /** A transaction left idle this long is rolled back by the server. Default 60 000 ms. */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * `disable` (default), `require` (encrypt, no certificate check) or `verify-full` (encrypt
   * and verify the server certificate and host name against the system CAs).
   */
  readonly ssl?: "disable" | "require" | "verify-full";
  /** Seconds to wait for a connection to open. Default 10. */
  readonly connectTimeoutS?: number;
  /** Seconds before an idle pooled connection is closed. Default 60. */
  readonly idleTimeoutS?: number;
  /**
   * Longest pause before a pooled connection that failed tries again. Queries wait for it, so
   * it bounds how long a request waits before answering 503 while PostgreSQL is down, and how
   * long the pool takes to notice that it is back. Default 500 ms (postgres.js: up to 20 s).
   */
  readonly maxReconnectDelayMs?: number;
  readonly applicationName?: string;
  /** Runs every connection with this `search_path` (isolated schemas in tests). */
  readonly searchPath?: string;
}

/**
 * Opens the pool lazily (the first query connects). Values come back as postgres.js parses
 * them: `timestamptz` as `Date`, `integer` as number, and `bigint`/`numeric` (including
 * `count(*)` and `sum(...)`) as strings, which the adapters coerce with zod. No custom
 * `types` are registered, so a value beyond 2^53 can never be silently rounded by the driver.
 * Connection failures (server down, restarting, unreachable) reject as
 * `DependencyUnavailable("postgres")`.
 */
export function connectPostgres(config: PostgresConfig): Sql {
  const ssl = config.ssl ?? "disable";
  return withUnavailableAsDomainError(postgres(config.url, {
    max: config.poolSize ?? 10,
    ssl: ssl === "disable" ? false : ssl,
    connect_timeout: config.connectTimeoutS ?? 10,
    idle_timeout: config.idleTimeoutS ?? 60,
    backoff: reconnectBackoff(config.maxReconnectDelayMs ?? 500),
    // Notices ("relation already exists, skipping") are not errors; keep them off stdout.
    onnotice: () => {},
    connection: {
      application_name: config.applicationName ?? "polycart",
      statement_timeout: config.statementTimeoutMs ?? 5_000,
      idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs ?? 60_000,
      TimeZone: "UTC",
      ...(config.searchPath ? { search_path: config.searchPath } : {}),
    },
  }));
}

/**
 * postgres.js's `backoff`: seconds a failed pooled connection waits before it reconnects,
 * given the failures counted across the pool since the last successful connect. Doubles from
 * 50 ms up to `maxMs`. (The driver's default reaches 20 s after a handful of resets, e.g. when
 * PostgreSQL restarts, and every query routed to that connection waits that long.)
 */
export function reconnectBackoff(maxMs: number): (retries: number) => number {
  return (retries) => Math.min(0.05 * 2 ** Math.max(0, retries - 1), maxMs / 1000);
}

/** Readiness: one round trip to the pool. PostgreSQL is critical: without it nothing sells. */
export class PostgresHealthCheck implements HealthCheck {
  readonly name = "postgres";
  readonly critical = true;

  constructor(private readonly sql: Sql, private readonly timeoutMs = 2_000) {}

  async check(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`postgres did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.sql`SELECT 1`, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
