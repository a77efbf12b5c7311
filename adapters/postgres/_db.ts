/** Helpers shared by the PostgreSQL adapters: transactions with retry, errors, row coercion. */
import postgres from "postgres";
import { z } from "zod";
import type { Sql } from "./connect.ts";

export type Tx = postgres.TransactionSql;
/** Either the pool or an open transaction: both run tagged-template queries. */
export type Db = Sql | Tx;

/** SQLSTATEs worth retrying: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);

export interface RetryOptions {
  /** Total attempts, the first included. */
  readonly attempts?: number;
}

/**
 * Runs `body` in one transaction (READ COMMITTED), retrying a bounded number of times with
 * jittered backoff when PostgreSQL aborts it for a serialization failure or a deadlock.
 * Anything else (domain errors included) rolls back and propagates unchanged.
 */
export async function transaction<T>(
  sql: Sql,
  body: (tx: Tx) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1;; attempt++) {
    try {
      return await sql.begin((tx) => body(tx)) as T;
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error) ?? "")) throw error;
      const delay = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export function sqlState(error: unknown): string | undefined {
  return error instanceof postgres.PostgresError ? error.code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return error instanceof postgres.PostgresError && error.code === "23505" &&
    (constraint === undefined || error.constraint_name === constraint);
}

export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return error instanceof postgres.PostgresError && error.code === "23503" &&
    (constraint === undefined || error.constraint_name === constraint);
}

/** `bigint`, `numeric`, `count(*)` arrive as strings: coerce, refusing anything unsafe. */
export const int = z.union([z.number(), z.string().regex(/^-?\d+$/), z.bigint()])
  .transform((v) => Number(v))
  .pipe(z.int());

export const date = z.date();

/** Parses a row, naming the table in the error so a schema drift is easy to spot. */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, what: string): z.output<S> {
  const result = schema.safeParse(row);
  if (!result.success) {
    throw new Error(`unexpected ${what} row from PostgreSQL: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** `LIMIT`/`OFFSET` for a page request (page from 1). */
export function pageBounds(page: number, size: number): { limit: number; offset: number } {
  return { limit: size, offset: (page - 1) * size };
}
