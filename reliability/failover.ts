/**
 * The failover proofs: `deno task test:failover` (CI runs it after the reliability suite).
 *
 * Each step starts its own private servers (a PostgreSQL primary with a synchronous standby;
 * a two-node Elasticsearch cluster; for the last, a whole deployment of two APIs and two
 * workers on a standby pair, a Redis Cluster, MongoDB and Elasticsearch) on ports of their own and kills, promotes or stops them;
 * the shared servers on the default ports are never touched. Like `suite.ts`, this file is
 * not named `*_test.ts`, so `deno task test` does not pick it up. Figures are printed at the
 * end and written to reliability/.logs/failover.json.
 */
import { Figures } from "./_figures.ts";
import { elasticsearchNodeLoss } from "./_es_failover.ts";
import { haFailover } from "./_ha_failover.ts";
import { postgresFailover } from "./_pg_failover.ts";
import { killEverything, REPO, trackPids } from "./_servers.ts";

const LOG_DIR = `${REPO}/reliability/.logs/failover`;
const WORK_PREFIX = "polycart-failover-";

Deno.test({
  name:
    "failover: PostgreSQL standby promoted, Elasticsearch node lost, a whole deployment under load",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const figures = new Figures();
    await Deno.remove(LOG_DIR, { recursive: true }).catch(() => {});
    await Deno.mkdir(LOG_DIR, { recursive: true });
    const stale = trackPids(`${REPO}/reliability/.logs/failover-pids.json`, [WORK_PREFIX]);
    if (stale > 0) console.warn(`killed ${stale} processes left over by an earlier run`);
    const workDir = await Deno.makeTempDir({ dir: "/tmp", prefix: WORK_PREFIX });
    await Deno.chmod(workDir, 0o755);
    try {
      await t.step("PostgreSQL: primary SIGKILLed, standby promoted, no order lost", async () => {
        await postgresFailover(workDir, LOG_DIR, figures);
        figures.fault("PostgreSQL primary SIGKILLed, synchronous standby promoted", true);
      });
      await t.step(
        "Elasticsearch: a node leaves and returns, search and writes go on",
        async () => {
          await elasticsearchNodeLoss(workDir, LOG_DIR, figures);
          figures.fault("Elasticsearch data node SIGKILLed during writes and a rebuild", true);
        },
      );
      await t.step(
        "two APIs and two workers: Redis primary, PostgreSQL primary and the sync worker " +
          "lost in turn under load",
        async () => {
          await haFailover(workDir, LOG_DIR, figures);
          figures.fault("Redis Cluster primary SIGKILLed under two APIs' load", true);
          figures.fault(
            "PostgreSQL primary SIGKILLed under two APIs' load, standby promoted",
            true,
          );
          figures.fault("worker holding sync:catalog SIGKILLed, the duty moved", true);
        },
      );
    } finally {
      await killEverything();
      await Deno.remove(workDir, { recursive: true }).catch(() => {});
      console.log(figures.report());
      await Deno.writeTextFile(
        `${LOG_DIR}/figures.json`,
        JSON.stringify(figures.toJson(), null, 2) + "\n",
      ).catch(() => {});
    }
  },
});
