/** Administration of background operations: the search rebuild, sync lag and duty holders. */
import { Hono } from "hono";
import { NotFound } from "../../domain/errors.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import { dutiesJson, reindexJobJson, syncStatusJson } from "./_views.ts";
import { Duties, ReindexJob, SyncStatus } from "./schemas/admin.ts";

const startReindex = route({
  tag: "Admin",
  summary: "Rebuild the search index from the catalog",
  description: "Runs in the background and swaps the new index in atomically; searches keep " +
    "answering meanwhile. One rebuild runs at a time across every API instance and worker " +
    "(a lease in PostgreSQL): asking while one runs is 409 reindex_in_progress naming it.",
  access: "admin",
  success: { status: 202, description: "The reindex job.", schema: ReindexJob },
  problems: ["reindex_in_progress"],
});

const currentReindex = route({
  tag: "Admin",
  summary: "The latest reindex job",
  access: "admin",
  success: { status: 200, description: "The job.", schema: ReindexJob },
  problems: ["not_found"],
});

const syncStatus = route({
  tag: "Admin",
  summary: "Search sync lag and backlog",
  access: "admin",
  success: { status: 200, description: "Lag, checkpoint and pending changes.", schema: SyncStatus },
});

const duties = route({
  tag: "Admin",
  summary: "Who runs each background duty",
  description: "The expiry sweeper, the sync of each change feed, pruning and the search " +
    "rebuild each run in one instance at a time under a lease in PostgreSQL; this names the " +
    "holder of each (the same from every API instance).",
  access: "admin",
  success: { status: 200, description: "Every duty and its holder.", schema: Duties },
});

export function adminOperationsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/search/reindex", startReindex.guard, async (c) => {
      return c.json(reindexJobJson(await useCases.startReindex()), 202);
    })
    .get("/search/reindex", currentReindex.guard, async (c) => {
      const job = await useCases.reindexJob();
      if (!job) throw new NotFound("reindex job", "current");
      return c.json(reindexJobJson(job), 200);
    })
    .get("/sync/status", syncStatus.guard, async (c) => {
      return c.json(syncStatusJson(await useCases.syncStatus()), 200);
    })
    .get("/duties", duties.guard, async (c) => {
      return c.json(dutiesJson(await useCases.duties()), 200);
    });
}
