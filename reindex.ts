/**
 * `deno task reindex`: rebuilds the search index from the catalog and inventory, and the
 * support order index from PostgreSQL, each into a new versioned index whose alias is swapped
 * atomically; searches keep answering meanwhile. Takes the
 * same lease as `POST /admin/search/reindex`, so it refuses while a rebuild runs anywhere.
 */
import { parseConfig } from "./config.ts";
import { buildRuntime } from "./composition.ts";
import { beginReindex } from "./application/search/reindex.ts";
import { startProcess, StartupError } from "./startup.ts";

function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`;
}

async function main(): Promise<void> {
  const config = parseConfig(Deno.env.toObject());
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  try {
    // Products, then the support team's orders: one job rebuilds both indices.
    const total = (await ports.catalog.list({ attrs: [], sort: "newest", page: 1, size: 1 }))
      .total + await ports.orderRecords.count();
    const encoder = new TextEncoder();
    const started = performance.now();
    // Under the same lease as the API's rebuilds: refused while one runs anywhere.
    const { done } = await beginReindex(ports, (done) => {
      Deno.stderr.writeSync(encoder.encode(`\r${progressBar(done, total)}`));
    });
    const job = await done;
    Deno.stderr.writeSync(encoder.encode(`\r${progressBar(job.indexed, total)}\n`));
    if (job.status === "failed") throw new StartupError(`reindex failed: ${job.error}`);
    ports.logger.info("reindex finished", {
      indexed: job.indexed,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  } finally {
    await runtime.close();
  }
}

if (import.meta.main) await startProcess("polycart reindex", main);
