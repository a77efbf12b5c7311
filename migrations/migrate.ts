/**
 * Forward-only migration runner: `deno task migrate` (reads DATABASE_URL) or `migrate(sql)` from
 * main.ts when MIGRATE_ON_START=1.
 *
 * - Files are `NNNN_name.sql` beside this module, applied in version order.
 * - Each file runs in its own transaction together with its row in `schema_migrations`
 *   (version, name, SHA-256 checksum), so a failed file leaves nothing behind.
 * - An applied file whose checksum changed is refused before anything runs: write a new file.
 * - A session-level advisory lock serializes runners, so two processes starting at once (or
 *   running it twice) apply each file exactly once.
 */
import postgres from "postgres";

type Sql = postgres.Sql;

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrateOptions {
  /** Where the `NNNN_name.sql` files live; defaults to this module's folder. */
  readonly dir?: URL;
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  readonly applied: readonly string[];
  /** Versions that were already applied before this call. */
  readonly skipped: readonly string[];
}

/** An applied migration's file was edited (or its version reused): the database refuses it. */
export class MigrationChecksumMismatch extends Error {
  constructor(
    readonly version: string,
    readonly file: string,
    readonly applied: string,
    readonly current: string,
  ) {
    super(
      `migration ${version} (${file}) was edited after it was applied: checksum ${current} ` +
        `does not match the applied ${applied}. Applied migrations are immutable; revert the ` +
        `edit and add a new numbered migration instead.`,
    );
    this.name = "MigrationChecksumMismatch";
  }
}

/** Any constant works; all runners against one database must agree on it. */
const LOCK_KEY = 4_611_686_018_427_387_001n;
const FILE = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

export async function readMigrations(
  dir: URL = new URL(".", import.meta.url),
): Promise<Migration[]> {
  const found: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = entry.isFile ? FILE.exec(entry.name) : null;
    if (!match) continue;
    const bytes = await Deno.readFile(new URL(entry.name, dir));
    found.push({
      version: match[1],
      name: entry.name,
      sql: new TextDecoder().decode(bytes),
      checksum: await sha256Hex(bytes),
    });
  }
  found.sort((a, b) => Number(a.version) - Number(b.version));
  for (let i = 1; i < found.length; i++) {
    if (Number(found[i].version) === Number(found[i - 1].version)) {
      throw new Error(
        `two migrations share version ${found[i].version}: ${found[i - 1].name}, ${found[i].name}`,
      );
    }
  }
  return found;
}

export async function migrate(
  sql: Sql,
  log: (message: string) => void = () => {},
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const conn = await sql.reserve();
  let locked = false;
  try {
    if (!await tryLock(conn)) {
      log("another migrator holds the lock; waiting for it");
      // Session-level lock taken inside a transaction only so the wait may outlast the
      // pool's statement timeout; it stays held after the commit.
      await inTransaction(conn, async () => {
        await conn`SET LOCAL statement_timeout = 0`;
        await conn`SELECT pg_advisory_lock(${LOCK_KEY.toString()}::bigint)`;
      });
    }
    locked = true;
    await conn.unsafe(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    text PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await conn<{ version: string; name: string; checksum: string }[]>`
      SELECT version, name, checksum FROM schema_migrations`;
    const applied = new Map(rows.map((r) => [Number(r.version), r]));

    for (const m of migrations) {
      const done = applied.get(Number(m.version));
      if (done && done.checksum !== m.checksum) {
        throw new MigrationChecksumMismatch(m.version, m.name, done.checksum, m.checksum);
      }
    }
    const known = new Set(migrations.map((m) => Number(m.version)));
    for (const r of rows) {
      if (!known.has(Number(r.version))) {
        log(`warning: applied migration ${r.version} (${r.name}) has no file here`);
      }
    }

    const result = { applied: [] as string[], skipped: [] as string[] };
    for (const m of migrations) {
      if (applied.has(Number(m.version))) {
        result.skipped.push(m.version);
        continue;
      }
      const started = performance.now();
      await inTransaction(conn, async () => {
        await conn`SET LOCAL statement_timeout = 0`;
        await conn.unsafe(m.sql);
        await conn`
          INSERT INTO schema_migrations (version, name, checksum)
          VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      }).catch((error: unknown) => {
        throw new Error(`migration ${m.name} failed and was rolled back: ${messageOf(error)}`, {
          cause: error,
        });
      });
      result.applied.push(m.version);
      log(`applied ${m.name} in ${Math.round(performance.now() - started)} ms`);
    }
    if (result.applied.length === 0) log(`schema up to date (${migrations.length} migrations)`);
    return result;
  } finally {
    try {
      if (locked) await conn`SELECT pg_advisory_unlock(${LOCK_KEY.toString()}::bigint)`;
    } finally {
      conn.release();
    }
  }
}

/** A reserved connection has no `begin`; statements run in order on its one session. */
async function inTransaction(conn: Sql, body: () => Promise<void>): Promise<void> {
  await conn`BEGIN`;
  try {
    await body();
  } catch (error) {
    await conn`ROLLBACK`.catch(() => {});
    throw error;
  }
  await conn`COMMIT`;
}

async function tryLock(conn: Sql): Promise<boolean> {
  const [row] = await conn<{ ok: boolean }[]>`
    SELECT pg_try_advisory_lock(${LOCK_KEY.toString()}::bigint) AS ok`;
  return row.ok;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) {
  const url = Deno.env.get("DATABASE_URL");
  if (!url) {
    console.error(
      "DATABASE_URL is not set (e.g. postgres://polycart:polycart@127.0.0.1:5432/polycart)",
    );
    Deno.exit(2);
  }
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const { applied } = await migrate(sql, (m) => console.log(`[migrate] ${m}`));
    console.log(`[migrate] done: ${applied.length} applied`);
  } catch (error) {
    console.error(`[migrate] ${messageOf(error)}`);
    Deno.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
