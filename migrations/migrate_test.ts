import assert from "node:assert/strict";
import { testDatabase } from "../adapters/postgres/_testing.ts";
import { integrationUrl } from "../testing/integration.ts";
import { migrate, MigrationChecksumMismatch, readMigrations } from "./migrate.ts";

const url = integrationUrl("DATABASE_URL");

/** A folder of migration files for one step; removed by the caller. */
async function migrationDir(files: Record<string, string>): Promise<URL> {
  const dir = await Deno.makeTempDir({ prefix: "polycart_migrations_" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return new URL(`file://${dir}/`);
}

async function tables(sql: Parameters<typeof migrate>[0], schema: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = ${schema} ORDER BY table_name`;
  return rows.map((r) => r.name);
}

Deno.test({
  name: "migrate()",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("applies every file once; running it again changes nothing", async () => {
      const db = await testDatabase(url!, null);
      try {
        const files = await readMigrations();
        assert.ok(files.length >= 1);
        const first = await migrate(db.sql);
        assert.deepEqual(first.applied, files.map((f) => f.version));
        const before = await tables(db.sql, db.schema);
        assert.ok(before.includes("orders") && before.includes("outbox"));
        const second = await migrate(db.sql);
        assert.deepEqual([second.applied, second.skipped], [[], files.map((f) => f.version)]);
        assert.deepEqual(await tables(db.sql, db.schema), before);
        const recorded = await db.sql<{ version: string; checksum: string }[]>`
          SELECT version, checksum FROM schema_migrations ORDER BY version`;
        assert.deepEqual(
          recorded.map((r) => ({ ...r })),
          files.map((f) => ({ version: f.version, checksum: f.checksum })),
        );
      } finally {
        await db.close();
      }
    });

    await t.step("two runners at once apply each file exactly once (advisory lock)", async () => {
      const db = await testDatabase(url!, null);
      try {
        const other = db.connect();
        const logs: string[] = [];
        const [a, b] = await Promise.all([
          migrate(db.sql, (m) => logs.push(`a: ${m}`)),
          migrate(other, (m) => logs.push(`b: ${m}`)),
        ]);
        const files = (await readMigrations()).map((f) => f.version);
        assert.deepEqual([...a.applied, ...b.applied].sort(), files);
        assert.ok(a.applied.length === 0 || b.applied.length === 0, logs.join("\n"));
      } finally {
        await db.close();
      }
    });

    await t.step("two `deno task migrate` processes at once both succeed", async () => {
      const db = await testDatabase(url!, null);
      try {
        const target = new URL(url!);
        target.searchParams.set("search_path", db.schema);
        const run = () =>
          new Deno.Command(Deno.execPath(), {
            args: ["run", "--allow-net", "--allow-env", "--allow-read", "migrations/migrate.ts"],
            cwd: new URL("..", import.meta.url).pathname, // the repo root, where deno.json is
            env: { DATABASE_URL: target.toString() },
            stdout: "piped",
            stderr: "piped",
          }).output();
        const outputs = await Promise.all([run(), run()]);
        const text = outputs.map((o) =>
          new TextDecoder().decode(o.stdout) +
          new TextDecoder().decode(o.stderr)
        ).join("\n");
        assert.ok(outputs.every((o) => o.success), text);
        const files = await readMigrations();
        const [{ n }] = await db.sql<{ n: string }[]>`SELECT count(*) AS n FROM schema_migrations`;
        assert.equal(Number(n), files.length, text);
        assert.equal(text.match(/applied 0001_/g)?.length, 1, text);
      } finally {
        await db.close();
      }
    });

    await t.step("an edited applied migration is refused before anything runs", async () => {
      const db = await testDatabase(url!, null);
      const dir = await migrationDir({
        "0001_widgets.sql": "CREATE TABLE widgets (id int PRIMARY KEY);",
      });
      try {
        assert.deepEqual((await migrate(db.sql, undefined, { dir })).applied, ["0001"]);
        await Deno.writeTextFile(
          new URL("0001_widgets.sql", dir),
          "CREATE TABLE widgets (id bigint PRIMARY KEY);",
        );
        await Deno.writeTextFile(new URL("0002_gadgets.sql", dir), "CREATE TABLE gadgets ();");
        await assert.rejects(migrate(db.sql, undefined, { dir }), (e: unknown) => {
          assert.ok(e instanceof MigrationChecksumMismatch);
          assert.equal(e.version, "0001");
          assert.match(e.message, /0001_widgets\.sql\) was edited after it was applied/);
          return true;
        });
        assert.deepEqual(await tables(db.sql, db.schema), ["schema_migrations", "widgets"]);
      } finally {
        await Deno.remove(dir, { recursive: true });
        await db.close();
      }
    });

    await t.step("a failing migration rolls back entirely and is not recorded", async () => {
      const db = await testDatabase(url!, null);
      const dir = await migrationDir({
        "0001_ok.sql": "CREATE TABLE ok (id int);",
        "0002_broken.sql": "CREATE TABLE half (id int);\nSELECT 1/0;",
      });
      try {
        await assert.rejects(migrate(db.sql, undefined, { dir }), /0002_broken\.sql failed/);
        assert.deepEqual(await tables(db.sql, db.schema), ["ok", "schema_migrations"]);
        const rows = await db.sql`SELECT version FROM schema_migrations`;
        assert.deepEqual(rows.map((r) => r.version), ["0001"]);
      } finally {
        await Deno.remove(dir, { recursive: true });
        await db.close();
      }
    });
  },
});
