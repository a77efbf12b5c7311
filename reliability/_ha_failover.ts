/**
 * The whole deployment failing over under load: two API instances (`main.ts`) and two sync
 * workers (`worker.ts`) on a private PostgreSQL primary with a synchronous standby (multi-host
 * URL, `target_session_attrs=read-write`), a private Redis Cluster (three primaries, three
 * replicas, started by `.ci/start_redis_cluster.sh` on a port base of its own), MongoDB and a
 * single Elasticsearch node. Customers place, pay and cancel orders on both APIs alternately
 * (`_ha_load.ts`) while an admin renames products. In turn: a Redis primary is SIGKILLed (the
 * cluster promotes its replica), the PostgreSQL primary is SIGKILLed and the standby promoted,
 * the worker holding the `sync:catalog` lease is SIGKILLed. Elasticsearch is one node here
 * (two would make the suite too slow on two cores; losing a node of a two-node cluster is the
 * step `_es_failover.ts`), and stopping it is not a step of this one: the node's own start-up
 * (about 45 s here) would take the task past four minutes.
 *
 * After each: every acknowledged order exists and every acknowledged payment confirmed it, no
 * order holds two payments, stock is conserved per (SKU, warehouse) row, every acknowledged
 * rename is in the catalog and search equals its sources at their versions, the duty is held
 * by a live worker, and the time until the APIs answered again is printed.
 */
import assert from "node:assert/strict";
import { MongoClient } from "mongodb";
import { connectPostgres, type Sql } from "../adapters/postgres/connect.ts";
import { PostgresLeases } from "../adapters/postgres/leases.ts";
import { dutyHolder, waitForDutyHolder } from "../testing/duties.ts";
import {
  conservationViolations,
  type IndexSources,
  ledger,
  orderViolations,
  PAID,
  waitForIndex,
} from "./_checks.ts";
import type { Figures } from "./_figures.ts";
import {
  type Account,
  createCategory,
  createProduct,
  createShipping,
  Http,
  login,
  randomPassword,
  register,
} from "./_http.ts";
import { HaLoad } from "./_ha_load.ts";
import { startPair } from "./_pg_failover.ts";
import {
  AppProcess,
  delay,
  ElasticsearchServer,
  freePort,
  MongoServer,
  REPO,
  run,
} from "./_servers.ts";
import { Stack } from "./_stack.ts";

const SKUS = 8;
const STOCK = 400;
const DUTY = "sync:catalog";

/** A Redis Cluster of six instances on `base`..`base+5`, by the CI script. */
class RedisCluster {
  constructor(readonly dir: string, readonly base: number) {}

  get nodes(): string {
    return Array.from({ length: 6 }, (_, i) => `127.0.0.1:${this.base + i}`).join(",");
  }

  static freeBase(): number {
    for (let base = 7110; base < 7900; base += 10) {
      const ports = Array.from({ length: 6 }, (_, i) => base + i);
      if (ports.every((p) => freePort(p) === p && freePort(p + 10_000) === p + 10_000)) return base;
    }
    throw new Error("no six free ports for a Redis Cluster");
  }

  async start(): Promise<void> {
    const out = await new Deno.Command("bash", {
      args: [`${REPO}/.ci/start_redis_cluster.sh`],
      env: { REDIS_CLUSTER_BASE_PORT: String(this.base), REDIS_CLUSTER_DIR: this.dir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  }

  async cli(port: number, ...args: string[]): Promise<string> {
    return await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  }

  /** A primary other than the first instance (the one the checks ask). */
  async primary(): Promise<number> {
    const nodes = await this.cli(this.base, "cluster", "nodes");
    for (const line of nodes.split("\n")) {
      const [, address, flags] = line.split(" ");
      const port = Number(address?.split("@")[0].split(":")[1]);
      if (flags?.includes("master") && !flags.includes("fail") && port !== this.base) return port;
    }
    throw new Error(`no primary to kill:\n${nodes}`);
  }

  pid(port: number): number | null {
    try {
      return Number(Deno.readTextFileSync(`${this.dir}/${port}/redis.pid`).trim());
    } catch {
      return null;
    }
  }

  kill(port: number): void {
    const pid = this.pid(port);
    if (pid) Deno.kill(pid, "SIGKILL");
  }

  /** Until the killed primary is marked failed and its slots are served by its replica. */
  async waitPromoted(killed: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.cli(this.base, "cluster", "info").catch(() => "");
      const nodes = await this.cli(this.base, "cluster", "nodes").catch(() => "");
      const dead = nodes.split("\n").find((l) => l.includes(`:${killed}@`)) ?? "";
      // A failed node keeps its "master" flag; what matters is that its slots moved.
      const servesSlots = dead.trim().split(" ").length > 8;
      if (
        info.includes("cluster_state:ok") && info.includes("cluster_slots_ok:16384") &&
        dead.includes("fail") && !servesSlots
      ) return;
      if (Date.now() > deadline) throw new Error(`cluster did not fail over:\n${info}\n${nodes}`);
      await delay(100);
    }
  }

  stopAll(): void {
    for (let i = 0; i < 6; i++) {
      try {
        this.kill(this.base + i);
      } catch { /* already gone */ }
    }
  }
}

export async function haFailover(parentDir: string, parentLogDir: string, figures: Figures) {
  // Directories and logs of their own: the other steps' servers used the parent's.
  const workDir = `${parentDir}/ha`;
  const logDir = `${parentLogDir}/ha`;
  await Deno.mkdir(workDir, { recursive: true });
  await Deno.mkdir(logDir, { recursive: true });
  const taken = new Set<number>();
  const port = (preferred: number) => {
    const p = freePort(preferred, taken);
    taken.add(p);
    return p;
  };
  const redis = new RedisCluster(`${workDir}/redis-cluster`, RedisCluster.freeBase());
  const mongo = new MongoServer(`${workDir}/ha-mongo`, port(27038), logDir);
  const es = new ElasticsearchServer(`${workDir}/ha-es`, port(9231), port(9331), logDir);
  const apps: AppProcess[] = [];
  let sql: Sql | null = null;
  let mongoClient: MongoClient | null = null;
  const pair = await startPair(workDir, logDir);
  try {
    // Settled, not all: a failure of one must not leave another starting behind our back
    // (the cluster's pid files, which the clean-up reads, appear only once it is up).
    const started = await Promise.allSettled([redis.start(), mongo.start(), es.start()]);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const shared: Record<string, string> = {
      ...Stack.sharedEnv({ pg: pair.url, redis: "", mongo: mongo.url, es: es.url }),
      REDIS_CLUSTER_NODES: redis.nodes,
      DUTY_LEASE_TTL_MS: "3000",
      DUTY_LEASE_RENEW_MS: "1000",
      DUTY_RETRY_MS: "250",
    };
    delete shared.REDIS_URL;
    const adminPassword = randomPassword();
    const api = (name: string, extra: Record<string, string> = {}) =>
      new AppProcess(name, "main.ts", {
        ...shared,
        PORT: String(port(18850)),
        SYNC_IN_PROCESS: "0",
        ...extra,
      }, logDir);
    const api1 = api("ha-api-1", {
      MIGRATE_ON_START: "1",
      ADMIN_EMAIL: "admin@ha.test",
      ADMIN_PASSWORD: adminPassword,
    });
    apps.push(api1);
    await api1.start();
    const api2 = api("ha-api-2");
    const workers = [1, 2].map((n) =>
      new AppProcess(`ha-worker-${n}`, "worker.ts", shared, logDir)
    );
    apps.push(api2, ...workers);
    await Promise.all([api2.start(), ...workers.map((w) => w.start())]);

    const apis = [new Http(api1.url), new Http(api2.url)];
    const admin = await login(apis[0], "admin@ha.test", adminPassword);
    await createCategory(apis[0], admin.token, "reliability");
    const delivery = await createShipping(apis[0], admin.token);
    const tag = crypto.randomUUID().slice(0, 6).toUpperCase();
    const skus = Array.from({ length: SKUS }, (_, i) => `HA-${tag}-${i}`);
    for (const sku of skus) await createProduct(apis[i(sku)], admin.token, sku, STOCK);
    const initial = new Map(skus.map((s) => [s, STOCK]));
    const customers: Account[] = [];
    for (let n = 0; n < 4; n++) customers.push(await register(apis[n % 2], `ha-${n}`));

    sql = connectPostgres({ url: pair.url, poolSize: 3, connectTimeoutS: 5 });
    const leases = new PostgresLeases(sql);
    mongoClient = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 10_000 });
    await mongoClient.connect();
    const db = mongoClient.db("polycart");
    const checkSql = sql;
    const sources: IndexSources = {
      catalogDb: () => Promise.resolve(db),
      sql: checkSql as unknown as IndexSources["sql"],
      esRequest: async (method, path, body) =>
        await fetch(`${es.url}${path}`, {
          method,
          headers: body === undefined ? {} : { "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        }),
      http: apis[0],
      admin,
    };
    await waitForDutyHolder(leases, DUTY, (h) => workers.some((w) => w.pid === h?.pid));

    const load = new HaLoad(apis, customers, admin, skus, delivery);
    const userIds = customers.map((c) => c.id);

    /** Load, a fault, recovery, more load, then every check. */
    const phase = async (label: string, inject: () => Promise<string>) => {
      load.start();
      await delay(2_000);
      const placedBefore = load.placed.size;
      const faultAt = performance.now();
      const detail = await inject();
      const answeredMs = await load.waitAnswered(faultAt);
      await delay(3_000);
      // Orders must resume after the fault; a pool still retiring connections to the dead
      // primary may need longer than the 3 s above, so wait for one (bounded) before stopping.
      const resumeBy = performance.now() + 20_000;
      while (load.placed.size <= placedBefore && performance.now() < resumeBy) await delay(250);
      await load.stop();
      assert.ok(load.placed.size > placedBefore, `${label}: no order placed after the fault`);

      const stored = await checkSql<{ id: string; status: string }[]>`
        SELECT id, status FROM orders WHERE user_id = ANY(${userIds})`;
      const status = new Map(stored.map((r) => [r.id, r.status]));
      const lost = [...load.placed].filter((id) => !status.has(id));
      assert.deepEqual(lost, [], `${label}: acknowledged orders lost`);
      const unpaid = [...load.paid].filter((id) =>
        !(PAID as readonly string[]).includes(status.get(id)!)
      );
      assert.deepEqual(unpaid, [], `${label}: acknowledged payments lost`);
      const raw = checkSql as unknown as IndexSources["sql"];
      assert.deepEqual((await orderViolations(raw, userIds)).violations, [], `${label}: orders`);
      const rows = await ledger(raw, initial);
      assert.deepEqual(conservationViolations(rows, initial), [], `${label}: stock`);
      const catalog = await db.collection("products").find({ _id: { $in: skus } as never })
        .project({ name: 1 }).toArray();
      const wrong = catalog.filter((p) =>
        !load.uncertainNames.has(String(p._id)) && load.names.has(String(p._id)) &&
        p.name !== load.names.get(String(p._id))
      ).map((p) => String(p._id));
      assert.deepEqual(wrong, [], `${label}: acknowledged renames lost`);
      const indexStarted = performance.now();
      assert.deepEqual(await waitForIndex(sources, 60_000), [], `${label}: search vs sources`);
      const indexMs = Math.round(performance.now() - indexStarted);
      const holder = await dutyHolder(leases, DUTY);
      assert.ok(workers.some((w) => w.pid !== null && w.pid === holder?.pid), `${label}: ${DUTY}`);
      figures.note(
        `HA ${label}: ${detail}; both APIs answered again ${answeredMs} ms after the fault ` +
          `(${load.failedSince(faultAt)} requests got 5xx or no answer meanwhile, retried); ` +
          `${load.placed.size} orders and ${load.paid.size} payments acknowledged so far, none ` +
          `lost; ${load.renames} renames, search caught up ${indexMs} ms after the load stopped`,
      );
      return answeredMs;
    };

    await phase("Redis primary SIGKILLed", async () => {
      const killed = await redis.primary();
      const t0 = performance.now();
      redis.kill(killed);
      await redis.waitPromoted(killed);
      return `replica of 127.0.0.1:${killed} promoted after ${
        Math.round(performance.now() - t0)
      } ms`;
    });
    await phase("PostgreSQL primary SIGKILLed", async () => {
      await pair.primary.kill();
      await delay(1_000); // failure detection, in production
      await pair.standby.promote();
      return "standby promoted 1000 ms after the kill";
    });
    await phase(`worker holding ${DUTY} SIGKILLed`, async () => {
      const holding = await dutyHolder(leases, DUTY);
      const victim = workers.find((w) => w.pid === holding?.pid);
      assert.ok(victim, `${DUTY} is held by ${holding?.holder}, not one of our workers`);
      const survivor = workers.find((w) => w !== victim)!;
      await victim.kill();
      const moved = await waitForDutyHolder(leases, DUTY, (h) => h?.pid === survivor.pid);
      return `${DUTY} moved to the survivor ${Math.round(moved.ms)} ms after the kill`;
    });
    figures.checked(
      "orders acknowledged across Redis, PostgreSQL and worker faults",
      load.placed.size,
    );
  } finally {
    await Promise.allSettled([sql?.end({ timeout: 2 }), mongoClient?.close(true)]);
    await Promise.allSettled(apps.map((a) => a.kill()));
    redis.stopAll();
    await Promise.allSettled([mongo.kill(), es.kill(), pair.primary.kill(), pair.standby.kill()]);
  }
}

/** Spreads setup requests over both APIs. */
function i(sku: string): number {
  return sku.charCodeAt(sku.length - 1) % 2;
}
