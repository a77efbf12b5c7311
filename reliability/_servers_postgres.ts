import { delay, run, userIds } from "./_process.ts";
import { ServerProcess, type Spawn } from "./_server_process.ts";

// ---- PostgreSQL ---------------------------------------------------------------------------

function postgresBinDir(): string {
  const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((e) => e.name)
    .filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b));
  const version = versions.at(-1);
  if (!version) throw new Error("no PostgreSQL under /usr/lib/postgresql: run .ci/run first");
  return `/usr/lib/postgresql/${version}/bin`;
}

/**
 * A PostgreSQL cluster of its own (`initdb` as the postgres user into `dir`), on `port`, with
 * the `polycart` role and database the application expects. `stop()` is a fast shutdown
 * (SIGINT: sessions are terminated); `kill()` SIGKILLs the postmaster and every backend, which
 * PostgreSQL recovers from with WAL replay on the next start.
 */
export class PostgresServer extends ServerProcess {
  readonly bin = postgresBinDir();
  readonly data: string;
  readonly url: string;
  #ids: { uid: number; gid: number } | null = null;

  /**
   * With `standbyOf`, the first start makes a streaming standby of that (running) primary with
   * `pg_basebackup -R` instead of a new cluster; `promote()` turns it into a primary.
   */
  constructor(
    readonly dir: string,
    readonly port: number,
    logDir: string,
    readonly options: { readonly name?: string; readonly standbyOf?: PostgresServer } = {},
  ) {
    super(options.name ?? "postgresql", `${logDir}/${options.name ?? "postgresql"}.log`);
    this.data = `${dir}/data`;
    this.url = this.urlOf("polycart");
    this.stopSignal = "SIGINT";
    this.startTimeoutMs = 30_000;
  }

  urlOf(database: string): string {
    return `postgres://polycart:polycart@127.0.0.1:${this.port}/${database}`;
  }

  protected override async beforeStart(): Promise<void> {
    this.#ids ??= await userIds("postgres");
    if (!this.#ids) throw new Error("no postgres user: run .ci/start_postgres_redis.sh first");
    try {
      Deno.statSync(`${this.data}/PG_VERSION`);
      return;
    } catch {
      // first start: create the cluster
    }
    await Deno.mkdir(this.dir, { recursive: true });
    await run("chown", [`${this.#ids.uid}:${this.#ids.gid}`, this.dir]);
    if (this.options.standbyOf) return await this.#baseBackup(this.options.standbyOf);
    await run(`${this.bin}/initdb`, [
      "-D",
      this.data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--no-locale",
      "--no-sync",
    ], { ...this.#ids, cwd: this.dir });
    const conf = [
      "",
      "# reliability suite: loopback only, its own port and socket directory",
      "listen_addresses = '127.0.0.1'",
      `port = ${this.port}`,
      `unix_socket_directories = '${this.dir}'`,
      "max_connections = 200",
      "shared_buffers = 64MB",
      // A process crash never loses what the OS has; only a machine crash would.
      "fsync = off",
      "full_page_writes = off",
      "log_min_messages = warning",
      "",
    ].join("\n");
    await Deno.writeTextFile(`${this.data}/postgresql.conf`, conf, { append: true });
  }

  /** A copy of the primary's data directory that streams from it (`standby.signal`). */
  async #baseBackup(primary: PostgresServer): Promise<void> {
    await run(`${this.bin}/pg_basebackup`, [
      "-h",
      "127.0.0.1",
      "-p",
      String(primary.port),
      "-U",
      "postgres",
      "-D",
      this.data,
      "-R",
      "-X",
      "stream",
      "--no-sync",
      "-c",
      "fast",
    ], { ...this.#ids!, cwd: this.dir });
    // The copied postgresql.conf names the primary's port and socket directory: the last
    // setting wins. `cluster_name` becomes the walreceiver's application_name.
    const conf = [
      "",
      `port = ${this.port}`,
      `unix_socket_directories = '${this.dir}'`,
      `cluster_name = '${this.name}'`,
      "hot_standby = on",
      "",
    ].join("\n");
    await Deno.writeTextFile(`${this.data}/postgresql.conf`, conf, { append: true });
  }

  /** Runs SQL as the superuser on this cluster; returns psql's unaligned output. */
  async psql(sql: string): Promise<string> {
    return (await run(`${this.bin}/psql`, [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      ...this.#asSuperuser(),
      "-tAc",
      sql,
    ])).trim();
  }

  /** `pg_ctl promote`: a standby becomes a primary (waits until it accepts writes). */
  async promote(): Promise<void> {
    await run(`${this.bin}/pg_ctl`, ["promote", "-w", "-t", "30", "-D", this.data], {
      ...this.#ids!,
      cwd: this.dir,
    });
  }

  /** Waits until `standby` streams from this primary (`pg_stat_replication`). */
  async waitStreaming(standby: PostgresServer, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const state = await this.psql(
        `SELECT state FROM pg_stat_replication WHERE application_name = '${standby.name}'`,
      );
      if (state === "streaming") return;
      await delay(100);
    }
    throw new Error(`${standby.name} does not stream from ${this.name} after ${timeoutMs} ms`);
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: `${this.bin}/postgres`,
      args: ["-D", this.data],
      cwd: this.dir,
      env: { LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
      ...this.#ids!,
    };
  }

  async healthy(): Promise<boolean> {
    const out = await new Deno.Command(`${this.bin}/pg_isready`, {
      args: ["-q", ...this.#asSuperuser(), "-t", "2"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  }

  /** Client arguments reaching this cluster's `postgres` database as its superuser. */
  #asSuperuser(): string[] {
    return ["-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", "-d", "postgres"];
  }

  /** Creates the application's role and a database it owns (idempotent). */
  async provision(database = "polycart"): Promise<void> {
    const role = await this.psql("SELECT 1 FROM pg_roles WHERE rolname = 'polycart'");
    if (role !== "1") await this.psql("CREATE ROLE polycart LOGIN PASSWORD 'polycart' CREATEDB");
    const db = await this.psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`);
    if (db !== "1") await this.psql(`CREATE DATABASE ${database} OWNER polycart`);
  }
}
