/**
 * Test support (used by the `_test.ts` files only): a throwaway schema in the real database,
 * migrated with the real migrations, so each fixture sees only its own rows and outbox.
 */
import postgres from "postgres";
import { connectPostgres, type PostgresConfig, type Sql } from "./connect.ts";

export interface TestDatabase {
  /** A pool whose `search_path` is the fresh schema. */
  readonly sql: Sql;
  readonly schema: string;
  /** Opens another pool on the same schema (a second process, as far as PostgreSQL knows). */
  connect(options?: Partial<PostgresConfig>): Sql;
  /** Ends every pool opened here and drops the schema. */
  close(): Promise<void>;
}

export type Migrate = (sql: Sql) => Promise<unknown>;

export async function testDatabase(
  url: string,
  migrate: Migrate | null,
  options: Partial<PostgresConfig> = {},
): Promise<TestDatabase> {
  const schema = `test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const pools: Sql[] = [];
  const connect = (extra: Partial<PostgresConfig> = {}) => {
    const sql = connectPostgres({
      url,
      poolSize: 10,
      statementTimeoutMs: 30_000,
      searchPath: schema,
      ...options,
      ...extra,
    });
    pools.push(sql);
    return sql;
  };
  try {
    await admin.unsafe(`CREATE SCHEMA "${schema}"`);
    const sql = connect();
    if (migrate) await migrate(sql);
    return {
      sql,
      schema,
      connect,
      close: async () => {
        await Promise.allSettled(pools.map((p) => p.end({ timeout: 5 })));
        try {
          await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await admin.end({ timeout: 5 });
        }
      },
    };
  } catch (error) {
    await Promise.allSettled(pools.map((p) => p.end({ timeout: 5 })));
    await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await admin.end({ timeout: 5 });
    throw error;
  }
}
