/**
 * The patched postgres.js keeps a transaction's connection to itself when the pool is busy
 * (porsager/postgres#823, fix proposed in #1207). A `BEGIN` that lands on a connection already
 * holding `max_pipeline` queued queries skipped the step that reserves the connection: the
 * transaction failed (UNSAFE_TRANSACTION, or a TypeError) and its BEGIN stayed open on a
 * pooled connection, so other requests' statements ran inside it and were never committed.
 * Under overload the pool is always that busy.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { integrationUrl } from "../../testing/integration.ts";

const url = integrationUrl("DATABASE_URL");

Deno.test({
  name: "sql.begin() on a connection busy to its pipeline limit keeps the connection reserved",
  ignore: !url,
  async fn() {
    // One connection that pipelines at most one query: the BEGIN below is queued behind the
    // sleep on a connection that is "full", the state the pool reaches under load.
    // `max_pipeline` is a driver option its types leave out.
    const options = {
      max: 1,
      max_pipeline: 1,
      onnotice: () => {},
    } as postgres.Options<never>;
    const sql = postgres(url!, options);
    try {
      await sql`select 1`; // connected and idle
      const busy = sql`select pg_sleep(0.05)`.execute();
      const tx = sql.begin(async (tx) => {
        const [{ txid }] = await tx`select txid_current()::text as txid`;
        const [{ again }] = await tx`select txid_current()::text as again`;
        return txid === again;
      });
      // A statement from another caller, sent while the transaction is open.
      const other = sql`select pg_current_xact_id_if_assigned()::text as xid`;
      await busy;
      assert.equal(
        await tx,
        true,
        "both statements of the transaction ran in it",
      );
      const [row] = await other;
      assert.equal(
        row.xid,
        null,
        "another caller's statement ran outside the transaction",
      );
      const [after] = await sql`select pg_current_xact_id_if_assigned()::text as xid`;
      assert.equal(
        after.xid,
        null,
        "no transaction left open on the pooled connection",
      );
    } finally {
      await sql.end({ timeout: 1 });
    }
  },
});
