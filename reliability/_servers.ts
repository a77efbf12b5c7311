/**
 * Private server processes for the reliability suite: PostgreSQL, Redis, Elasticsearch, the
 * MongoDB wire-protocol server and our own API/worker processes, each on its own port and in
 * its own data directory, so the suite can stop, kill and restart them without touching the
 * shared servers on the default ports (other suites use those).
 *
 * The binaries are the ones `.ci/start_*.sh` installed (Debian's PostgreSQL and Redis, the
 * Elasticsearch zip and the mongo-java-server jars cached under `.ci/cache`); this module only
 * knows how to run more copies of them. Every process it starts is remembered by pid, killed
 * by `killEverything()` (also on SIGINT/SIGTERM), and listed in a pid file so a later run can
 * kill what a crashed run left behind.
 */

export const REPO = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
export const CACHE = `${REPO}/.ci/cache`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion; throws with its output when it fails. */
export async function run(
  cmd: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    ...options,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${text}`);
  return text;
}

async function userIds(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const uid = Number((await run("id", ["-u", name])).trim());
    const gid = Number((await run("id", ["-g", name])).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** The first port from `preferred` on that nothing listens on (127.0.0.1). */
export function freePort(preferred: number, avoid: ReadonlySet<number> = new Set()): number {
  for (let port = preferred; port < preferred + 200; port++) {
    if (avoid.has(port)) continue;
    try {
      const listener = Deno.listen({ hostname: "127.0.0.1", port });
      listener.close();
      return port;
    } catch {
      // taken
    }
  }
  throw new Error(`no free port in ${preferred}..${preferred + 199}`);
}

/** pid -> parent pid of every live process (from `ps`: reading /proc would need --allow-all). */
function processTable(): Map<number, number> {
  const out = new Deno.Command("ps", { args: ["-e", "-o", "pid=,ppid=,stat="], stdout: "piped" })
    .outputSync();
  const table = new Map<number, number>();
  for (const line of decoder.decode(out.stdout).split("\n")) {
    const [pid, ppid, stat] = line.trim().split(/\s+/);
    // Zombies are dead already (their new parent just has not reaped them yet).
    if (stat?.startsWith("Z")) continue;
    if (/^\d+$/.test(pid ?? "") && /^\d+$/.test(ppid ?? "")) table.set(Number(pid), Number(ppid));
  }
  return table;
}

/** Every descendant of `root` (children, grandchildren, ...). */
function descendantsOf(root: number, table = processTable()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of table) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export function isRunning(pid: number): boolean {
  return processTable().has(pid);
}

function commandLine(pid: number): string | null {
  const out = new Deno.Command("ps", { args: ["-o", "args=", "-p", String(pid)], stdout: "piped" })
    .outputSync();
  return out.success ? decoder.decode(out.stdout).trim() : null;
}

function signal(pid: number | null, sig: Deno.Signal): void {
  if (pid === null) return;
  try {
    Deno.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function tcpExchange(port: number, request: Uint8Array, timeoutMs = 2_000) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    await conn.write(request);
    const buffer = new Uint8Array(65536);
    const n = await conn.read(buffer);
    return n === null ? new Uint8Array() : buffer.subarray(0, n);
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}

// ---- pid bookkeeping ----------------------------------------------------------------------

const live = new Set<ServerProcess>();
let pidFile: string | null = null;

function savePids(): void {
  if (!pidFile) return;
  const pids = [...live].flatMap((s) => s.pids());
  try {
    Deno.writeTextFileSync(pidFile, JSON.stringify(pids));
  } catch {
    // the log directory is gone: nothing to remember
  }
}

/**
 * Remembers started pids in `file`. When the file exists (a run that crashed before its
 * cleanup), kills those pids first, if they still run a command that mentions a marker.
 */
export function trackPids(file: string, markers: readonly string[]): number {
  pidFile = file;
  let killed = 0;
  try {
    const pids = JSON.parse(Deno.readTextFileSync(file)) as number[];
    for (const pid of pids) {
      try {
        const cmdline = commandLine(pid);
        if (cmdline !== null && markers.some((marker) => cmdline.includes(marker))) {
          signal(pid, "SIGKILL");
          killed++;
        }
      } catch {
        // not running any more
      }
    }
  } catch {
    // no leftovers
  }
  Deno.writeTextFileSync(file, "[]");
  startWatchdog(file, markers);
  return killed;
}

/**
 * A watchdog outside this process: once this Deno is gone, whatever the way (`deno test` ends
 * on Ctrl-C without running our `finally`, or it is killed), it SIGKILLs every pid still
 * listed in the pid file whose command mentions a marker. Started once, with `trackPids`.
 */
function startWatchdog(file: string, markers: readonly string[]): void {
  const script = `
    owner=$1; file=$2; shift 2
    while kill -0 "$owner" 2>/dev/null; do sleep 1; done
    for pid in $(tr '[],' '   ' < "$file" 2>/dev/null); do
      args=$(ps -o args= -p "$pid" 2>/dev/null) || continue
      for marker in "$@"; do
        case "$args" in *"$marker"*) kill -9 "$pid" 2>/dev/null; break ;; esac
      done
    done`;
  const child = new Deno.Command("bash", {
    args: ["-c", script, "watchdog", String(Deno.pid), file, ...markers],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
}

/** Kills every process this module started and has not seen exit. */
export async function killEverything(): Promise<void> {
  await Promise.allSettled([...live].map((s) => s.kill()));
}

let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      console.error(`\n${sig}: killing the reliability suite's servers`);
      for (const server of live) {
        for (const pid of server.pids()) signal(pid, "SIGKILL");
      }
      Deno.exit(130);
    });
  }
}

// ---- one server process -------------------------------------------------------------------

export interface Spawn {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly clearEnv?: boolean;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * A server we run as a child process, its stdout and stderr appended to `logFile`.
 * `start()` returns once `healthy()` answers; `stop()` asks it to shut down (its own graceful
 * signal) and waits; `kill()` SIGKILLs it and every descendant (a crash).
 */
export abstract class ServerProcess {
  #child: Deno.ChildProcess | null = null;
  #exit: Promise<Deno.CommandStatus> | null = null;
  #exited = false;
  /** How many times it was started. */
  starts = 0;

  protected constructor(readonly name: string, readonly logFile: string) {}

  protected abstract spawnSpec(): Spawn | Promise<Spawn>;
  abstract healthy(): Promise<boolean>;
  protected startTimeoutMs = 60_000;
  protected stopSignal: Deno.Signal = "SIGTERM";
  protected beforeStart(): Promise<void> {
    return Promise.resolve();
  }
  /** The process to signal: the child, unless the real server is a descendant. */
  protected serverPid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null && !this.#exited;
  }

  /** The pid of the spawned process (null when not running). */
  get pid(): number | null {
    return this.running ? this.#child!.pid : null;
  }

  pids(): number[] {
    if (!this.#child) return [];
    const root = this.#child.pid;
    return [root, ...descendantsOf(root)];
  }

  /** Everything the process wrote so far (all its runs). */
  async log(): Promise<string> {
    try {
      return await Deno.readTextFile(this.logFile);
    } catch {
      return "";
    }
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    hookSignals();
    await this.beforeStart();
    const spec = await this.spawnSpec();
    const log = await Deno.open(this.logFile, { create: true, append: true, write: true });
    log.writeSync(encoder.encode(
      `\n--- ${new Date().toISOString()} start #${this.starts + 1}: ${spec.cmd} ${
        spec.args.join(" ")
      }\n`,
    ));
    const child = new Deno.Command(spec.cmd, {
      args: [...spec.args],
      env: spec.env,
      clearEnv: spec.clearEnv,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.starts++;
    this.#child = child;
    this.#exited = false;
    live.add(this);
    savePids();
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) {
        let written = 0;
        while (written < chunk.length) written += log.writeSync(chunk.subarray(written));
      }
    };
    const pumps = [pump(child.stdout), pump(child.stderr)];
    this.#exit = child.status.then(async (status) => {
      await Promise.allSettled(pumps);
      log.close();
      this.#exited = true;
      live.delete(this);
      savePids();
      return status;
    });

    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.#exited) {
        throw new Error(`${this.name} exited while starting; see ${this.logFile}`);
      }
      if (await this.healthy().catch(() => false)) {
        savePids(); // now with the descendants (the Elasticsearch server JVM, backends)
        return;
      }
      await delay(200);
    }
    await this.kill();
    throw new Error(
      `${this.name} not healthy after ${this.startTimeoutMs} ms; see ${this.logFile}`,
    );
  }

  async #waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.#exit) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.#exit.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful shutdown; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    signal(this.serverPid(), this.stopSignal);
    if (!(await this.#waitExit(timeoutMs))) await this.kill();
    this.#child = null;
  }

  /** SIGKILL to the process and all its descendants: a crash. */
  async kill(): Promise<void> {
    if (!this.#child) return;
    const pids = this.pids();
    const server = this.serverPid();
    if (server !== null && !pids.includes(server)) pids.push(server, ...descendantsOf(server));
    for (const pid of pids) signal(pid, "SIGKILL");
    await this.#waitExit(15_000);
    // Descendants reparented elsewhere may outlive the child for a moment.
    for (let i = 0; i < 50; i++) {
      const table = processTable();
      if (!pids.some((pid) => table.has(pid))) break;
      await delay(100);
    }
    this.#child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Waits until `healthy()` says false (a stop seen from outside). */
  async waitDown(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.healthy().catch(() => false))) return;
      await delay(100);
    }
    throw new Error(`${this.name} still answers after ${timeoutMs} ms`);
  }
}

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

// ---- Redis --------------------------------------------------------------------------------

/** redis-server on `port`, no persistence (a restart is an empty Redis, as in production). */
export class RedisServer extends ServerProcess {
  readonly url: string;

  constructor(readonly dir: string, readonly port: number, logDir: string) {
    super("redis", `${logDir}/redis.log`);
    this.url = `redis://127.0.0.1:${port}`;
    this.startTimeoutMs = 15_000;
  }

  protected override async beforeStart(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: "redis-server",
      args: [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--dir",
        this.dir,
        // Redis rewrites its process title; keep the data directory in it, so that a leftover
        // can be recognised (and killed) by the next run or the watchdog.
        "--proc-title-template",
        `{title} {listen-addr} ${this.dir}`,
      ],
      cwd: this.dir,
    };
  }

  async healthy(): Promise<boolean> {
    const reply = await tcpExchange(this.port, encoder.encode("PING\r\n"));
    return decoder.decode(reply).startsWith("+PONG");
  }
}

// ---- MongoDB wire-protocol server ---------------------------------------------------------

/** The first 12 hex digits of the SHA-256 of `bytes`: names cache folders by what built them. */
export async function shortHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}

async function mongoJars(): Promise<string> {
  const hash = await shortHash(await Deno.readFile(`${REPO}/.ci/mongo/pom.xml`));
  const dir = `${CACHE}/mongo-java-server-${hash}`;
  try {
    Deno.statSync(`${dir}/.complete`);
  } catch {
    throw new Error(`${dir} is missing: run .ci/start_mongo.sh first`);
  }
  return dir;
}

/** OP_MSG `{ping: 1, $db: "admin"}`; true when the reply holds `ok: 1.0`. */
async function mongoPing(port: number): Promise<boolean> {
  const body = [
    ...[0x10, ...encoder.encode("ping"), 0, 1, 0, 0, 0],
    ...[0x02, ...encoder.encode("$db"), 0, 6, 0, 0, 0, ...encoder.encode("admin"), 0],
  ];
  const doc = new Uint8Array(4 + body.length + 1);
  new DataView(doc.buffer).setInt32(0, doc.length, true);
  doc.set(body, 4);
  const section = new Uint8Array([0, ...doc]);
  const message = new Uint8Array(16 + 4 + section.length);
  const view = new DataView(message.buffer);
  view.setInt32(0, message.length, true);
  view.setInt32(4, 1, true);
  view.setInt32(8, 0, true);
  view.setInt32(12, 2013, true);
  view.setUint32(16, 0, true);
  message.set(section, 20);
  const reply = await tcpExchange(port, message);
  const ok = new Uint8Array([0x01, ...encoder.encode("ok"), 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  const text = Array.from(reply).join(",");
  return text.includes(Array.from(ok).join(","));
}

/**
 * de.bwaldvogel mongo-java-server (wire 8, oplog on for change streams) on `port`, run by
 * `.ci/mongo/Launcher.java` with the H2 backend in `dir`, so the catalog and the oplog
 * survive a restart like a real mongod's data directory would.
 */
export class MongoServer extends ServerProcess {
  readonly url: string;

  constructor(readonly dir: string, readonly port: number, logDir: string) {
    super("mongodb", `${logDir}/mongodb.log`);
    this.url = `mongodb://127.0.0.1:${port}/polycart`;
    this.startTimeoutMs = 60_000;
  }

  protected override async beforeStart(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  protected async spawnSpec(): Promise<Spawn> {
    const jars = await mongoJars();
    return {
      cmd: "java",
      args: [
        "-Xms64m",
        "-Xmx512m",
        "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn",
        "-cp",
        `${jars}/*`,
        `${REPO}/.ci/mongo/Launcher.java`,
        "127.0.0.1",
        String(this.port),
        `h2:${this.dir}/catalog.mv`,
      ],
      cwd: this.dir,
    };
  }

  healthy(): Promise<boolean> {
    return mongoPing(this.port);
  }
}

// ---- Elasticsearch ------------------------------------------------------------------------

const ES_USER = "polycart-es";

function javaHome(): string {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const java = Deno.realPathSync(`${dir}/java`);
      return java.replace(/\/bin\/java$/, "");
    } catch {
      // not here
    }
  }
  throw new Error("java not found (Elasticsearch needs OpenJDK 17+)");
}

/** How a node joins a cluster of several (transport addresses `127.0.0.1:<port>`). */
export interface ClusterNode {
  readonly name: string;
  readonly cluster: string;
  readonly seedHosts: readonly string[];
  readonly initialMasters: readonly string[];
  /** Default: every role. */
  readonly roles?: readonly string[];
}

/**
 * A single-node Elasticsearch (or, with `node`, one node of a cluster) from the cached integ-test zip, as `polycart-es` (it refuses
 * root), with a small heap, its own config copy, data and logs in `dir`, on `httpPort` and
 * `transportPort`. `stop()` sends SIGTERM to the server JVM (from its pid file); `kill()`
 * SIGKILLs it.
 */
export class ElasticsearchServer extends ServerProcess {
  readonly url: string;
  readonly home: string;
  readonly pidFile: string;
  #ids: { uid: number; gid: number } | null = null;

  constructor(
    readonly dir: string,
    readonly httpPort: number,
    readonly transportPort: number,
    logDir: string,
    readonly heap = Deno.env.get("RELIABILITY_ES_HEAP") ?? "512m",
    version = Deno.env.get("ES_VERSION") ?? "8.19.2",
    /** A node of a cluster (instead of `discovery.type=single-node`). */
    readonly node: ClusterNode | null = null,
  ) {
    super(node?.name ?? "elasticsearch", `${logDir}/${node?.name ?? "elasticsearch"}.log`);
    this.url = `http://127.0.0.1:${httpPort}`;
    this.home = `${CACHE}/elasticsearch-${version}`;
    this.pidFile = `${dir}/elasticsearch.pid`;
    this.startTimeoutMs = 180_000;
  }

  protected override async beforeStart(): Promise<void> {
    try {
      Deno.statSync(`${this.home}/bin/elasticsearch`);
    } catch {
      throw new Error(`${this.home} is missing: run .ci/start_elasticsearch.sh first`);
    }
    this.#ids ??= await userIds(ES_USER);
    if (!this.#ids) {
      await run("useradd", [
        "--system",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        ES_USER,
      ]);
      this.#ids = await userIds(ES_USER);
    }
    try {
      Deno.statSync(`${this.dir}/config/jvm.options`);
    } catch {
      await Deno.mkdir(`${this.dir}/data`, { recursive: true });
      await Deno.mkdir(`${this.dir}/logs`, { recursive: true });
      await Deno.mkdir(`${this.dir}/tmp`, { recursive: true });
      await run("cp", ["-r", `${this.home}/config`, `${this.dir}/config`]);
      const options = (await Deno.readTextFile(`${this.dir}/config/jvm.options`))
        .replaceAll("file=logs/", `file=${this.dir}/logs/`)
        .replaceAll("HeapDumpPath=data", `HeapDumpPath=${this.dir}/data`)
        .replaceAll("ErrorFile=logs/", `ErrorFile=${this.dir}/logs/`);
      await Deno.writeTextFile(`${this.dir}/config/jvm.options`, options);
      await run("chown", ["-R", `${this.#ids!.uid}:${this.#ids!.gid}`, this.dir]);
    }
    await Deno.remove(this.pidFile).catch(() => {});
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: `${this.home}/bin/elasticsearch`,
      args: [
        "-p",
        this.pidFile,
        ...(this.node
          ? [
            `-Enode.name=${this.node.name}`,
            `-Ediscovery.seed_hosts=${this.node.seedHosts.join(",")}`,
            `-Ecluster.initial_master_nodes=${this.node.initialMasters.join(",")}`,
            ...(this.node.roles ? [`-Enode.roles=${this.node.roles.join(",")}`] : []),
          ]
          : ["-Ediscovery.type=single-node"]),
        "-Enetwork.host=127.0.0.1",
        `-Ehttp.port=${this.httpPort}`,
        `-Etransport.port=${this.transportPort}`,
        "-Expack.security.enabled=false",
        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
        `-Epath.data=${this.dir}/data`,
        `-Epath.logs=${this.dir}/logs`,
        `-Ecluster.name=${this.node?.cluster ?? "polycart-reliability"}`,
      ],
      cwd: this.dir,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: this.dir,
        LANG: "C.UTF-8",
        ES_JAVA_HOME: javaHome(),
        ES_JAVA_OPTS: `-Xms${this.heap} -Xmx${this.heap}`,
        ES_PATH_CONF: `${this.dir}/config`,
        ES_TMPDIR: `${this.dir}/tmp`,
      },
      ...this.#ids!,
    };
  }

  protected override serverPid(): number | null {
    try {
      const pid = Number(Deno.readTextFileSync(this.pidFile).trim());
      if (Number.isSafeInteger(pid) && pid > 0) return pid;
    } catch {
      // not written yet
    }
    return super.serverPid();
  }

  async healthy(): Promise<boolean> {
    const response = await fetch(
      `${this.url}/_cluster/health?wait_for_status=yellow&timeout=1s`,
      { signal: AbortSignal.timeout(3_000) },
    );
    await response.body?.cancel();
    return response.ok;
  }
}

// ---- our own processes --------------------------------------------------------------------

/** What the API and the worker get from the environment (nothing else leaks in). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "LANG", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * `main.ts` (the API, healthy when GET /health answers) or `worker.ts` (healthy once it logs
 * that it started) as a subprocess of this Deno, with exactly the environment given.
 */
export class AppProcess extends ServerProcess {
  constructor(
    name: string,
    readonly entry: "main.ts" | "worker.ts",
    readonly env: Record<string, string>,
    logDir: string,
  ) {
    super(name, `${logDir}/${name}.log`);
    this.startTimeoutMs = 60_000;
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: Deno.execPath(),
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        `${REPO}/${this.entry}`,
      ],
      cwd: REPO,
      clearEnv: true,
      env: { ...baseEnv(), ...this.env },
    };
  }

  async healthy(): Promise<boolean> {
    if (this.entry === "worker.ts") {
      const log = await this.log();
      const lastStart = log.lastIndexOf("\n--- ");
      return log.slice(lastStart).includes('"sync worker starting"');
    }
    const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  }
}
