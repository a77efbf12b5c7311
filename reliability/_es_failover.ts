/**
 * An Elasticsearch node crashing (SIGKILL) and returning, on a private two-node cluster (one master and
 * data node, one data node; one replica per index): searches and writes run through
 * `ElasticsearchSearchIndex` on a client that knows both nodes; the data node is killed, a
 * rebuild swaps the alias while it is away, then it returns and the cluster goes green again.
 *
 * Afterwards every SKU holds exactly the version last acknowledged (writes use external
 * versions, so "exactly once in effect"), and the figures give the longest time searches and
 * writes went unanswered. Losing the master of a two-node cluster stops writes until it
 * returns (a majority of master-eligible nodes is needed); that takes three master-eligible
 * nodes, which the README says and this machine does not run.
 */
import assert from "node:assert/strict";
import { DependencyUnavailable } from "../domain/errors.ts";
import type { SearchDocument } from "../domain/search/search.ts";
import { createElasticsearchClient } from "../adapters/elasticsearch/client.ts";
import { ElasticsearchSearchIndex } from "../adapters/elasticsearch/search_index.ts";
import type { Figures } from "./_figures.ts";
import { delay, ElasticsearchServer, freePort } from "./_servers.ts";

const SKUS = 40;
const CLUSTER = "polycart-failover";

function doc(sku: string, version: number): SearchDocument {
  return {
    sku,
    name: `Failover item ${sku}`,
    slug: sku,
    description: "kept in search while a node leaves",
    category: "failover",
    brand: "polycart",
    tags: [],
    attrs: {},
    facetAttrs: {},
    facetNames: [],
    priceCents: 100 + version,
    currency: "USD",
    rating: 0,
    ratingCount: 0,
    inStock: true,
    publishedAt: new Date(0),
    updatedAt: new Date(),
    version,
  };
}

/** Longest stretch between a failure and the next success of one kind of operation. */
class Window {
  #failingSince: number | null = null;
  longest = 0;
  failures = 0;
  ok = 0;
  success(): void {
    this.ok++;
    if (this.#failingSince !== null) {
      this.longest = Math.max(this.longest, performance.now() - this.#failingSince);
      this.#failingSince = null;
    }
  }
  failure(): void {
    this.failures++;
    this.#failingSince ??= performance.now();
  }
}

export async function elasticsearchNodeLoss(workDir: string, logDir: string, figures: Figures) {
  const taken = new Set<number>();
  const port = (preferred: number) => {
    const p = freePort(preferred, taken);
    taken.add(p);
    return p;
  };
  const [http1, transport1, http2, transport2] = [port(9401), port(9501), port(9402), port(9502)];
  const seedHosts = [`127.0.0.1:${transport1}`, `127.0.0.1:${transport2}`];
  const heap = Deno.env.get("RELIABILITY_ES_HEAP") ?? "384m";
  const master = new ElasticsearchServer(
    `${workDir}/es-1`,
    http1,
    transport1,
    logDir,
    heap,
    undefined,
    { name: "es-1", cluster: CLUSTER, seedHosts, initialMasters: ["es-1"] },
  );
  const data = new ElasticsearchServer(
    `${workDir}/es-2`,
    http2,
    transport2,
    logDir,
    heap,
    undefined,
    { name: "es-2", cluster: CLUSTER, seedHosts, initialMasters: ["es-1"], roles: ["data"] },
  );
  const started = performance.now();
  await Promise.all([master.start(), data.start()]);
  const client = createElasticsearchClient(`${master.url},${data.url}`);
  let phase = "start";
  try {
    /** Polls (short requests, any node) until the cluster has that status and node count. */
    const health = async (status: "green" | "yellow", nodes: number) => {
      const deadline = Date.now() + 180_000;
      let last = "";
      while (Date.now() < deadline) {
        try {
          const h = await client.cluster.health({
            wait_for_status: status,
            wait_for_nodes: String(nodes),
            timeout: "2s",
          });
          if (!h.timed_out) return;
          last = `${h.status}, ${h.number_of_nodes} nodes`;
        } catch (error) {
          last = String(error);
        }
        await delay(200);
      }
      throw new Error(`cluster not ${status} with ${nodes} nodes after 180 s (${last})`);
    };
    await health("green", 2);
    figures.note(
      `two-node Elasticsearch cluster up in ${Math.round(performance.now() - started)} ms`,
    );

    const index = new ElasticsearchSearchIndex(client, {
      prefix: "failover",
      replicas: 1,
      rebuildDiscoveryMs: 200,
      oldIndexGraceMs: 200,
    });
    const skus = Array.from({ length: SKUS }, (_, i) => `es-${i}`);
    /** The source of truth: the latest version of each SKU. */
    const source = new Map(skus.map((sku) => [sku, 1]));
    const acknowledged = new Map<string, number>();
    const all = async function* () {
      for (const [sku, version] of source) yield doc(sku, version);
    };
    await index.rebuild(all());
    for (const [sku, version] of source) acknowledged.set(sku, version);
    await health("green", 2);

    const searches = new Window();
    const writes = new Window();
    const unexpected: unknown[] = [];
    let stop = false;
    const searcher = async () => {
      while (!stop) {
        try {
          const result = await index.search({ q: "", sort: "relevance", page: 1, size: 5 });
          assert.ok(result.total > 0);
          searches.success();
        } catch (error) {
          if (error instanceof DependencyUnavailable) searches.failure();
          else unexpected.push(error);
        }
        await delay(20);
      }
    };
    const writer = async () => {
      while (!stop) {
        const sku = skus[Math.floor(Math.random() * SKUS)]!;
        const version = source.get(sku)! + 1;
        source.set(sku, version);
        try {
          await index.put(doc(sku, version));
          acknowledged.set(sku, Math.max(acknowledged.get(sku) ?? 0, version));
          writes.success();
        } catch (error) {
          // Not acknowledged: the sync would send it again; here the next write supersedes it.
          if (error instanceof DependencyUnavailable) writes.failure();
          else unexpected.push(error);
        }
        await delay(10);
      }
    };
    const load = [searcher(), searcher(), writer(), writer()];

    await delay(1_000);
    const leftAt = performance.now();
    phase = "data node stopping";
    await data.kill();
    await health("yellow", 1);
    const yellowMs = performance.now() - leftAt;
    await delay(1_000);
    // A rebuild while a node is away: its new index is yellow from the start.
    const rebuildStarted = performance.now();
    phase = "rebuild while away";
    const { indexed } = await index.rebuild(all());
    const rebuildMs = performance.now() - rebuildStarted;
    await delay(500);
    const returnedAt = performance.now();
    phase = "data node returning";
    await data.start();
    await health("green", 2);
    const greenMs = performance.now() - returnedAt;
    await delay(1_000);
    phase = "load stopping";
    stop = true;
    await Promise.all(load);

    assert.deepEqual(unexpected.map(String).slice(0, 5), [], "errors other than 503");
    assert.equal(indexed, SKUS);
    // After the rebuild every SKU's latest version is in the index: the rebuild read the
    // source, and writes in flight reached the new index too (`_next`).
    phase = "final checks";
    await client.indices.refresh({ index: index.alias });
    const response = await client.search<{ version?: number }>({
      index: index.alias,
      size: SKUS + 10,
      version: true,
      query: { match_all: {} },
    });
    const stored = new Map(response.hits.hits.map((hit) => [hit._id!, hit._version!]));
    const wrong = skus.filter((sku) => (stored.get(sku) ?? 0) < acknowledged.get(sku)!);
    assert.deepEqual(wrong, [], "acknowledged writes missing from the index");
    const aliases = await client.indices.getAlias({ name: index.alias });
    assert.equal(Object.keys(aliases).length, 1, "the alias names exactly one index");

    figures.checked("searches while an Elasticsearch node left and returned", searches.ok);
    figures.checked("index writes while an Elasticsearch node left and returned", writes.ok);
    figures.note(
      `Elasticsearch data node SIGKILLed: cluster yellow after ${Math.round(yellowMs)} ms, ` +
        `searches unanswered at most ${Math.round(searches.longest)} ms ` +
        `(${searches.failures} got 503), writes at most ${Math.round(writes.longest)} ms ` +
        `(${writes.failures} got 503); rebuild with alias swap while away ${
          Math.round(rebuildMs)
        } ms; green ${Math.round(greenMs)} ms after the node returned`,
    );
  } catch (error) {
    throw new Error(`Elasticsearch node loss, ${phase}: ${error}`, { cause: error });
  } finally {
    await client.close();
    await Promise.allSettled([master.kill(), data.kill()]);
  }
}
