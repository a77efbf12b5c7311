/**
 * The whole private stack: PostgreSQL, Redis, MongoDB, Elasticsearch, the API (`main.ts`) and
 * the sync worker (`worker.ts`), all on ports of their own, plus direct clients the checks
 * use to read the sources of truth (SQL, the catalog, the index) behind the API's back.
 */
import postgres from "postgres";
import { type Db, MongoClient } from "mongodb";
import {
  AppProcess,
  ElasticsearchServer,
  freePort,
  isRunning,
  killEverything,
  MongoServer,
  PostgresServer,
  RedisServer,
  REPO,
  trackPids,
} from "./_servers.ts";
import {
  type Account,
  createCategory,
  createShipping,
  type Delivery,
  Http,
  login,
  randomPassword,
} from "./_http.ts";

export const LOG_DIR = `${REPO}/reliability/.logs`;
const WORK_PREFIX = "polycart-reliability-";

export interface StackOptions {
  /** Environment for the main API on top of the defaults. */
  readonly apiEnv?: Record<string, string>;
}

/** Work directories of earlier runs whose owner process is gone (a crash, a kill -9). */
async function removeAbandonedWorkDirs(): Promise<void> {
  for await (const entry of Deno.readDir("/tmp")) {
    if (!entry.isDirectory || !entry.name.startsWith(WORK_PREFIX)) continue;
    const dir = `/tmp/${entry.name}`;
    try {
      const owner = Number((await Deno.readTextFile(`${dir}/owner.pid`)).trim());
      if (!isRunning(owner)) throw new Error("abandoned");
    } catch {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}

export class Stack {
  #sql: postgres.Sql | null = null;
  #mongo: MongoClient | null = null;
  readonly extraApps: AppProcess[] = [];
  admin!: Account;
  /** The shipping terms every order on this stack's database sends (`createShipping`). */
  delivery!: Delivery;

  private constructor(
    readonly workDir: string,
    readonly pg: PostgresServer,
    readonly redis: RedisServer,
    readonly mongo: MongoServer,
    readonly es: ElasticsearchServer,
    readonly api: AppProcess,
    readonly worker: AppProcess,
    readonly adminPassword: string,
  ) {}

  /** Environment shared by every API and worker process of this stack. */
  static sharedEnv(
    urls: { pg: string; redis: string; mongo: string; es: string },
  ): Record<string, string> {
    return {
      DATABASE_URL: urls.pg,
      REDIS_URL: urls.redis,
      MONGO_URL: urls.mongo,
      MONGO_DB: "polycart",
      ELASTICSEARCH_URL: urls.es,
      ES_INDEX_PREFIX: "products",
      // Pending orders expire after a minute and the sweeper runs every second, so expiry
      // races late payments within the suite's run time.
      ORDER_TTL_MINUTES: "1",
      SWEEP_INTERVAL_S: "1",
      // The bank test leaves orders pending (8 late orders for one user, customers that leave
      // some to expire): the per-user pending cap (default 3) is not what it tests.
      MAX_PENDING_ORDERS_PER_USER: "1000",
      // The workload is many requests per user; the limiter test runs its own API.
      RATE_LIMIT_MAX: "1000000",
      RATE_LIMIT_WINDOW_S: "60",
      LOGIN_RATE_LIMIT_MAX: "10",
      LOGIN_RATE_LIMIT_WINDOW_S: "300",
      PG_STATEMENT_TIMEOUT_MS: "5000",
    };
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    await Deno.remove(LOG_DIR, { recursive: true }).catch(() => {});
    await Deno.mkdir(LOG_DIR, { recursive: true });
    // A crashed earlier run may have left servers behind (they are listed in its pid file).
    const stale = trackPids(`${REPO}/reliability/.pids.json`, [
      WORK_PREFIX,
      `${REPO}/main.ts`,
      `${REPO}/worker.ts`,
    ]);
    if (stale > 0) console.warn(`killed ${stale} processes left over by an earlier run`);
    await removeAbandonedWorkDirs();

    const workDir = await Deno.makeTempDir({ dir: "/tmp", prefix: WORK_PREFIX });
    await Deno.chmod(workDir, 0o755);
    await Deno.writeTextFile(`${workDir}/owner.pid`, String(Deno.pid));
    const taken = new Set<number>();
    const port = (preferred: number) => {
      const p = freePort(preferred, taken);
      taken.add(p);
      return p;
    };
    const pg = new PostgresServer(`${workDir}/pg`, port(5433), LOG_DIR);
    const redis = new RedisServer(`${workDir}/redis`, port(6380), LOG_DIR);
    const mongo = new MongoServer(`${workDir}/mongo`, port(27018), LOG_DIR);
    const es = new ElasticsearchServer(`${workDir}/es`, port(9201), port(9301), LOG_DIR);
    const shared = Stack.sharedEnv({ pg: pg.url, redis: redis.url, mongo: mongo.url, es: es.url });
    const adminPassword = randomPassword();
    const api = new AppProcess("api", "main.ts", {
      ...shared,
      PORT: String(port(18780)),
      MIGRATE_ON_START: "1",
      ADMIN_EMAIL: "admin@reliability.test",
      ADMIN_PASSWORD: adminPassword,
      SYNC_IN_PROCESS: "0",
      ...options.apiEnv,
    }, LOG_DIR);
    const worker = new AppProcess("worker", "worker.ts", shared, LOG_DIR);
    const stack = new Stack(workDir, pg, redis, mongo, es, api, worker, adminPassword);
    try {
      await Promise.all([
        pg.start().then(() => pg.provision()),
        redis.start(),
        mongo.start(),
        es.start(),
      ]);
      await api.start();
      await worker.start();
      stack.admin = await login(stack.http, "admin@reliability.test", adminPassword);
      // Every product the suite creates names this category, which must exist.
      await createCategory(stack.http, stack.admin.token, "reliability");
      stack.delivery = await createShipping(stack.http, stack.admin.token);
      return stack;
    } catch (error) {
      await stack.dispose();
      throw error;
    }
  }

  get http(): Http {
    return new Http(this.api.url);
  }

  /** Another API process on this stack (other limits, another database, ...). */
  async startExtraApi(name: string, env: Record<string, string>): Promise<AppProcess> {
    const taken = new Set([Number(this.api.env.PORT), ...this.extraApps.map((a) => +a.env.PORT)]);
    return await this.#startExtra(name, "main.ts", {
      PORT: String(freePort(18790, taken)),
      SYNC_IN_PROCESS: "0",
      ...env,
    });
  }

  /** Another sync worker on this stack. */
  async startExtraWorker(name: string, env: Record<string, string>): Promise<AppProcess> {
    return await this.#startExtra(name, "worker.ts", env);
  }

  async #startExtra(
    name: string,
    entry: "main.ts" | "worker.ts",
    env: Record<string, string>,
  ): Promise<AppProcess> {
    const shared = Stack.sharedEnv({
      pg: this.pg.url,
      redis: this.redis.url,
      mongo: this.mongo.url,
      es: this.es.url,
    });
    const app = new AppProcess(name, entry, { ...shared, ...env }, LOG_DIR);
    this.extraApps.push(app);
    await app.start();
    return app;
  }

  /** A pool on the private PostgreSQL for the checks (reconnects after restarts). */
  get sql(): postgres.Sql {
    this.#sql ??= postgres(this.pg.url, {
      max: 4,
      onnotice: () => {},
      connect_timeout: 5,
      idle_timeout: 5,
      connection: { TimeZone: "UTC" },
    });
    return this.#sql;
  }

  /** The catalog database on the private MongoDB. */
  async catalogDb(): Promise<Db> {
    if (!this.#mongo) {
      this.#mongo = new MongoClient(this.mongo.url, { serverSelectionTimeoutMS: 10_000 });
      await this.#mongo.connect();
    }
    return this.#mongo.db("polycart");
  }

  /** Raw request to the private Elasticsearch. */
  async esRequest(method: string, path: string, body?: unknown): Promise<Response> {
    return await fetch(`${this.es.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }

  /** Waits until the API answers /ready with 200. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        const reply = await this.http.get("/ready", { timeoutMs: 5_000 });
        if (reply.status === 200) return;
        last = `${reply.status} ${reply.text}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`API not ready after ${timeoutMs} ms: ${last}`);
  }

  /** Every log line our API and worker processes wrote. */
  async appLogs(): Promise<string> {
    const logs = await Promise.all([this.api, this.worker, ...this.extraApps].map((p) => p.log()));
    return logs.join("\n");
  }

  async dispose(): Promise<void> {
    const stopping = [this.api, this.worker, ...this.extraApps].map((p) => p.stop(10_000));
    await Promise.allSettled(stopping);
    await this.#sql?.end({ timeout: 2 }).catch(() => {});
    await this.#mongo?.close(true).catch(() => {});
    await Promise.allSettled([this.pg, this.redis, this.mongo, this.es].map((s) => s.stop(20_000)));
    await killEverything();
    await Deno.remove(this.workDir, { recursive: true }).catch(() => {});
  }
}
