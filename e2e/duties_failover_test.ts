/**
 * Issue-14 proof on the real servers: two worker processes (`worker.ts`, spawned as a user
 * would run them) against one PostgreSQL schema, MongoDB database, index and key prefix. Each
 * background duty runs in exactly one of them; SIGKILL the holder of the catalog sync and the
 * other takes every duty over within the lease's TTL, and a catalog change made during the
 * handover reaches search exactly once in effect (the document equals the sources, at their
 * version). Default lease settings (TTL 10 s, renewal 3 s, retry 1 s).
 */
import assert from "node:assert/strict";
import { toSearchDocument } from "../domain/search/search.ts";
import { dutyNames, syncDuty } from "../application/background_duties.ts";
import { REINDEX_JOB } from "../application/search/reindex.ts";
import { parseConfig } from "../config.ts";
import { createElasticsearchClient } from "../adapters/elasticsearch/client.ts";
import { dutyHolder, waitForDutyHolder } from "../testing/duties.ts";
import { openStack, type Stack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const WORKER = new URL("../worker.ts", import.meta.url).pathname;
const defaults = parseConfig({});
const TTL_MS = defaults.DUTY_LEASE_TTL_MS;
/** Expiry, one retry of the survivor, and room for a busy machine. */
const TAKEOVER_BOUND_MS = TTL_MS + defaults.DUTY_RETRY_MS + 3_000;

class WorkerProcess {
  readonly #child: Deno.ChildProcess;
  readonly #reading: Promise<unknown>;
  #output = "";

  constructor(readonly label: string, env: Record<string, string>) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        WORKER,
      ],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) this.#output += text;
    };
    this.#reading = Promise.allSettled([
      collect(this.#child.stdout),
      collect(this.#child.stderr),
    ]);
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** The duties this process took, in order, from its log. */
  taken(): string[] {
    return this.#output.split("\n").flatMap((line) => {
      try {
        const entry = JSON.parse(line);
        return entry.msg === "duty taken" ? [String(entry.duty)] : [];
      } catch {
        return [];
      }
    });
  }

  log(): string {
    return `--- ${this.label} (pid ${this.pid}) ---\n${this.#output}`;
  }

  async signal(signal: Deno.Signal): Promise<Deno.CommandStatus> {
    try {
      this.#child.kill(signal);
    } catch {
      // already gone
    }
    const status = await this.#child.status;
    await this.#reading;
    return status;
  }
}

const product = (sku: string, word: string) => ({
  sku,
  name: `Failover ${word} Lamp ${sku}`,
  category: "lighting",
  brand: "Lumen",
  description: "A desk lamp for the failover test.",
  images: [],
  attrs: { watts: 9 },
  variants: [],
  tags: ["lamp"],
  priceCents: 4_200,
  stock: 10,
});

async function hits(stack: Stack, word: string, sku: string): Promise<number> {
  const result = await stack.useCases.search({ q: word, sort: "relevance", page: 1, size: 50 });
  return result.items.filter((h) => h.sku === sku).length;
}

/** While the fresh index's shard starts, searches fail: not yet. */
const hitsSoon = (stack: Stack, word: string, sku: string) =>
  hits(stack, word, sku).catch(() => -1);

Deno.test({
  name: "background duties across two worker processes on real PostgreSQL",
  ignore: urls === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const stack = await openStack(urls!);
    const es = createElasticsearchClient(urls!.ELASTICSEARCH_URL);
    const env = {
      ...urls!,
      PG_SCHEMA: stack.name,
      MONGO_DB: stack.name,
      ES_INDEX_PREFIX: stack.name,
      REDIS_PREFIX: `${stack.name}:`,
      // The workers inherit this process's environment; CI also exports the cluster's nodes,
      // which may not be set together with REDIS_URL.
      REDIS_CLUSTER_NODES: "",
      SWEEP_INTERVAL_S: "1",
      PRUNE_INTERVAL_S: "1",
    };
    const leases = stack.ports.leases;
    const duties = dutyNames(stack.ports.feeds).filter((d) => d !== REINDEX_JOB);
    const workers = [new WorkerProcess("worker-a", env), new WorkerProcess("worker-b", env)];
    const byPid = (pid: number | null | undefined) => workers.find((w) => w.pid === pid);
    try {
      await t.step("each duty runs in exactly one of the two workers", async () => {
        for (const duty of duties) {
          await waitForDutyHolder(leases, duty, (h) => byPid(h?.pid) !== undefined, 30_000);
        }
        await new Promise((r) => setTimeout(r, 3 * defaults.DUTY_LEASE_RENEW_MS / 2));
        for (const duty of duties) {
          const holder = byPid((await dutyHolder(leases, duty))?.pid)!;
          const takers = workers.flatMap((w) => w.taken().filter((d) => d === duty).map(() => w));
          assert.deepEqual(takers, [holder], `${duty} taken once, by its holder`);
        }
      });

      const sku = `DUT-${stack.name.slice(-8).toUpperCase()}`;
      await stack.useCases.createCategory({ slug: "lighting", name: "Lighting" });
      await stack.useCases.createProduct(product(sku, "zircon"));
      await eventually(
        "the new product is searchable",
        async () => (await hitsSoon(stack, "zircon", sku)) === 1,
        20_000,
      );

      let victim!: WorkerProcess;
      let survivor!: WorkerProcess;
      await t.step(
        "SIGKILL the sync holder: the other takes every duty within the TTL",
        async () => {
          victim = byPid((await dutyHolder(leases, syncDuty("catalog")))?.pid)!;
          survivor = workers.find((w) => w !== victim)!;
          const killedAt = performance.now();
          await victim.signal("SIGKILL");
          // Catalog and stock changes while nobody syncs (the victim may have been mid-pass).
          await stack.useCases.updateProduct(sku, { name: `Failover quartz Lamp ${sku}` });
          await stack.useCases.adjustInventory(sku, { unitPriceCents: 4_900, delta: -1 });
          const { ms } = await waitForDutyHolder(
            leases,
            syncDuty("catalog"),
            (h) => h?.pid === survivor.pid,
            TAKEOVER_BOUND_MS + 5_000,
          );
          const takeoverMs = Math.round(performance.now() - killedAt);
          console.log(
            `sync:catalog taken over ${takeoverMs} ms after SIGKILL (polled ${Math.round(ms)} ms)`,
          );
          assert.ok(
            takeoverMs <= TAKEOVER_BOUND_MS,
            `takeover in ${takeoverMs} ms, bound ${TAKEOVER_BOUND_MS} ms`,
          );
          for (const duty of duties) {
            await waitForDutyHolder(leases, duty, (h) => h?.pid === survivor.pid, 5_000);
          }
        },
      );

      await t.step(
        "the change made during the handover reaches search once in effect",
        async () => {
          const expected = async () => {
            const [p, item] = await Promise.all([
              stack.ports.catalog.get(sku),
              stack.ports.inventory.get(sku),
            ]);
            return toSearchDocument(p!, item);
          };
          const indexed = async () => {
            await es.indices.refresh({ index: stack.name });
            const doc = await es.get<{ name: string; priceCents: number }>({
              index: stack.name,
              id: sku,
            });
            return {
              version: doc._version,
              name: doc._source?.name,
              price: doc._source?.priceCents,
            };
          };
          await eventually("search shows the sources", async () => {
            const [want, got] = await Promise.all([expected(), indexed()]);
            return got.version === want.version && got.name === want.name &&
              got.price === want.priceCents;
          }, 20_000);
          assert.equal(await hits(stack, "quartz", sku), 1, "one document, with the new name");
          assert.equal(await hits(stack, "zircon", sku), 0, "the old name is gone");
          const want = await expected();
          assert.equal(want.priceCents, 4_900);
          assert.equal((await indexed()).version, want.version, "at the sources' version");
        },
      );

      await t.step("a stopped survivor gives its duties up at once", async () => {
        const status = await survivor.signal("SIGTERM");
        assert.equal(status.code, 0);
        for (const duty of duties) assert.equal(await dutyHolder(leases, duty), null, duty);
      });
    } catch (error) {
      for (const w of workers) console.error(w.log());
      throw error;
    } finally {
      await Promise.all(workers.map((w) => w.signal("SIGKILL")));
      await es.close();
      await stack.close();
    }
  },
});
