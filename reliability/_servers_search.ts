import { CACHE, run, userIds } from "./_process.ts";
import { ServerProcess, type Spawn } from "./_server_process.ts";

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
