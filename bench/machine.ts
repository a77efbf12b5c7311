/** The machine and the versions of everything a result depends on. */
import postgres from "postgres";
import { MongoClient } from "mongodb";
import { withRedis } from "./fixtures.ts";
import type { Machine } from "./result.ts";
import type { BenchSettings } from "./settings.ts";
import { pgbenchVersion, wrkVersion } from "./load.ts";

async function attempt<T>(
  what: () => Promise<T>,
  fallback: string,
): Promise<T | string> {
  try {
    return await what();
  } catch (error) {
    return `${fallback} (${error instanceof Error ? error.message.split("\n")[0] : error})`;
  }
}

/** `model name` of the first CPU in /proc/cpuinfo. */
export function cpuModel(cpuinfo: string): string {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? "unknown";
}

/** `MemTotal` of /proc/meminfo in GiB. */
export function memoryGiB(meminfo: string): number {
  const kib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo)?.[1] ?? NaN);
  return kib / 1024 / 1024;
}

/** The mongo-java-server version from a running server's class path, if it is one. */
async function mongoJavaServer(): Promise<string | null> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let cmdline: string;
    try {
      cmdline = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`))
        .replaceAll("\0", " ");
    } catch {
      continue;
    }
    const dir = /-cp\s+(\S*mongo-java-server[^\s*]*)/.exec(cmdline)?.[1]
      ?.replace(/\/$/, "");
    if (!dir) continue;
    try {
      for await (const jar of Deno.readDir(dir)) {
        const version = /^mongo-java-server-core-([\d.]+)\.jar$/.exec(jar.name)
          ?.[1];
        if (version) return `mongo-java-server ${version}`;
      }
    } catch {
      // not readable
    }
    return "mongo-java-server";
  }
  return null;
}

export async function machine(s: BenchSettings): Promise<Machine> {
  const cores = navigator.hardwareConcurrency;
  const versions: Record<string, string> = {};
  versions.deno =
    `${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`;
  versions.postgresql = String(
    await attempt(async () => {
      const sql = postgres(s.adminDatabaseUrl, { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql`SELECT current_setting('server_version') AS v`;
        return String(row.v);
      } finally {
        await sql.end({ timeout: 5 });
      }
    }, "unknown"),
  );
  versions.redis = String(
    await attempt(
      () =>
        withRedis(
          s.redisUrl,
          async (redis) => /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown",
        ),
      "unknown",
    ),
  );
  versions.elasticsearch = String(
    await attempt(async () => {
      const res = await fetch(
        new URL(
          "/_nodes/_local?filter_path=nodes.*.version,nodes.*.jvm.version",
          s.elasticsearchUrl,
        ),
      );
      const body = await res.json() as {
        nodes: Record<string, { version: string; jvm?: { version: string } }>;
      };
      const node = Object.values(body.nodes)[0];
      return `${node.version}${node.jvm ? ` (JVM ${node.jvm.version})` : ""}`;
    }, "unknown"),
  );
  versions.mongodb = String(
    await attempt(async () => {
      const client = new MongoClient(s.mongoUrl, {
        serverSelectionTimeoutMS: 5_000,
      });
      try {
        const info = await client.db("admin").command({ buildInfo: 1 });
        const impl = await mongoJavaServer();
        return `wire protocol of MongoDB ${info.version}${impl ? `, served by ${impl}` : ""}`;
      } finally {
        await client.close();
      }
    }, "unknown"),
  );
  versions["load tool (HTTP)"] = await wrkVersion();
  versions["load tool (PostgreSQL)"] = await pgbenchVersion();
  const pinning = s.serverCpu && s.loadCpu
    ? `server under test on core ${s.serverCpu}, load tool on core ${s.loadCpu} (taskset); ` +
      "the database servers and other processes are not pinned"
    : "none (BENCH_PIN=0 or fewer than 2 cores)";
  return {
    cores,
    cpuModel: cpuModel(await Deno.readTextFile("/proc/cpuinfo")),
    memoryGiB: memoryGiB(await Deno.readTextFile("/proc/meminfo")),
    kernel: Deno.osRelease(),
    os: `${Deno.build.os} ${Deno.build.arch}`,
    versions,
    pinning,
  };
}
