/**
 * A primary with a streaming standby (CI: .ci/start_postgres_standby.sh). The multi-host URL
 * with `target_session_attrs=read-write` must land on the primary whichever host comes first,
 * and the standby must replay what the primary commits while refusing writes. (The failover
 * itself, a primary killed and its standby promoted, runs on private servers in
 * reliability/failover.ts, since the shared primary must never go down.)
 */
import assert from "node:assert/strict";
import { integrationUrl } from "../../testing/integration.ts";
import { connectPostgres } from "./connect.ts";
import { sqlState } from "./_db.ts";

const haUrl = integrationUrl("DATABASE_HA_URL");
const standbyUrl = integrationUrl("DATABASE_STANDBY_URL");

/** The same hosts, the standby first: read-write must skip it. */
function standbyFirst(url: string): string {
  return url.replace(/@([^/]+)\//, (_, hosts: string) => `@${hosts.split(",").reverse()}/`);
}

Deno.test({
  name: "a multi-host DATABASE_URL reaches the primary; the standby replays and refuses writes",
  ignore: !haUrl || !standbyUrl,
  fn: async (t) => {
    const schema = `standby_${crypto.randomUUID().slice(0, 8)}`;
    const primary = connectPostgres({ url: standbyFirst(haUrl!), poolSize: 2 });
    const standby = connectPostgres({ url: standbyUrl!, poolSize: 1 });
    try {
      await t.step("read-write skips the standby listed first", async () => {
        const [row] = await primary`SELECT pg_is_in_recovery() AS recovery`;
        assert.equal(row.recovery, false);
        const [other] = await standby`SELECT pg_is_in_recovery() AS recovery`;
        assert.equal(other.recovery, true);
      });
      await t.step("a commit on the primary appears on the standby", async () => {
        await primary.unsafe(`CREATE SCHEMA "${schema}"`);
        await primary.unsafe(`CREATE TABLE "${schema}".t (id int PRIMARY KEY)`);
        await primary.unsafe(`INSERT INTO "${schema}".t VALUES (1)`);
        const deadline = Date.now() + 10_000;
        for (;;) {
          const [found] = await standby.unsafe(
            `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = '${schema}'`,
          );
          if (found.n === 1) {
            const rows = await standby.unsafe(`SELECT id FROM "${schema}".t`);
            if (rows.length === 1) break;
          }
          assert.ok(Date.now() < deadline, "the standby did not replay the commit in 10 s");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });
      await t.step(
        "the standby refuses writes (read_only_sql_transaction, not a 503)",
        async () => {
          await assert.rejects(
            standby.unsafe(`INSERT INTO "${schema}".t VALUES (2)`),
            (error) => sqlState(error) === "25006",
          );
        },
      );
    } finally {
      await primary.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await Promise.allSettled([primary.end({ timeout: 2 }), standby.end({ timeout: 2 })]);
    }
  },
});
