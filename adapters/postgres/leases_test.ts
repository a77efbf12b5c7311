import assert from "node:assert/strict";
import { ReindexJobs } from "../../application/search/reindex.ts";
import type { ReindexInProgress } from "../../domain/errors.ts";
import { migrate } from "../../migrations/migrate.ts";
import { jobLogContract, leasesContract } from "../../ports/contracts/leases_contract.ts";
import { testCore } from "../../testing/core.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresJobLog, PostgresLeases } from "./leases.ts";

const url = integrationUrl("DATABASE_URL");

leasesContract("PostgresLeases", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresLeases(db.sql), close: db.close };
}, { ignore: !url });

jobLogContract("PostgresJobLog", async () => {
  const db = await testDatabase(url!, migrate);
  return { subject: new PostgresJobLog(db.sql), close: db.close };
}, { ignore: !url });

Deno.test({
  name: "search rebuilds on PostgreSQL leases: one at a time across instances, status shared",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const db = await testDatabase(url!, migrate);
    try {
      const core = await testCore();
      const shared = { leases: new PostgresLeases(db.sql), jobs: new PostgresJobLog(db.sql) };
      await t.step("a second instance is refused while the first rebuilds", async () => {
        const gate = Promise.withResolvers<void>();
        const inventory = {
          ...core.ports.inventory,
          getMany: async (skus: readonly string[]) => {
            await gate.promise;
            return core.ports.inventory.getMany(skus);
          },
        };
        const one = new ReindexJobs({ ...core.ports, ...shared, inventory });
        const other = new ReindexJobs({ ...core.ports, ...shared });
        const job = await one.start();
        assert.equal((await other.current())?.id, job.id);
        await assert.rejects(other.start(), (e: ReindexInProgress) => e.jobId === job.id);
        gate.resolve();
        await one.idle();
        // A restarted instance (fresh objects, same database) reads the finished job.
        const restarted = new ReindexJobs({
          ...core.ports,
          leases: new PostgresLeases(db.sql),
          jobs: new PostgresJobLog(db.sql),
        });
        const seen = await restarted.current();
        assert.equal(seen?.id, job.id);
        assert.equal(seen?.status, "succeeded");
        assert.equal(seen?.indexed, 76);
      });
    } finally {
      await db.close();
    }
  },
});
