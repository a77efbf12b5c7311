/**
 * Test support (used by the `_test.ts` files only): clients with a key prefix no other test
 * uses, on the single server (`REDIS_URL`) and on the cluster (`REDIS_CLUSTER_NODES`), a
 * MONITOR tap that records what one client sent to a single server, and clean-up of the prefix;
 * for the near caches, a gate that holds reads.
 */
import type { Cluster, Redis } from "ioredis";
import type { RedisClient } from "./_redis.ts";
import {
  closeRedis,
  type ClusterNode,
  connectRedis,
  connectRedisCluster,
  waitUntilReady,
} from "./connect.ts";

export interface TestRedis<C extends RedisClient = RedisClient> {
  readonly redis: C;
  /** Unique per fixture, ends with ":". */
  readonly prefix: string;
  /** Deletes every key under the prefix and closes the client. */
  close(): Promise<void>;
}

export async function testRedis(url: string): Promise<TestRedis<Redis>> {
  const redis = connectRedis(url);
  await redis.ping();
  return fixture(redis, [redis]);
}

/** `host:port,host:port,...` as `REDIS_CLUSTER_NODES` holds it. */
export function clusterNodes(list: string): ClusterNode[] {
  return list.split(",").map((entry) => {
    const at = entry.trim().lastIndexOf(":");
    return { host: entry.trim().slice(0, at), port: Number(entry.trim().slice(at + 1)) };
  });
}

export async function testRedisCluster(nodes: string): Promise<TestRedis<Cluster>> {
  const cluster = connectRedisCluster(clusterNodes(nodes));
  await waitUntilReady(cluster, 5_000);
  await cluster.ping();
  return fixture(cluster, () => cluster.nodes("master"));
}

function fixture<C extends RedisClient>(
  redis: C,
  servers: Redis[] | (() => Redis[]),
): TestRedis<C> {
  const prefix = `test:${crypto.randomUUID()}:`;
  return {
    redis,
    prefix,
    close: async () => {
      try {
        for (const server of typeof servers === "function" ? servers() : servers) {
          let cursor = "0";
          do {
            const [next, keys] = await server.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
            // One DEL per key: on a cluster node, keys of different slots cannot share one.
            const pipeline = server.pipeline();
            for (const key of keys) pipeline.del(key);
            if (keys.length > 0) await pipeline.exec();
            cursor = next;
          } while (cursor !== "0");
        }
      } finally {
        await closeRedis(redis);
      }
    },
  };
}

/** The commands one client sends, as seen by the server (MONITOR), lower-cased names. */
export interface Tap {
  /** Commands seen so far from the watched client, e.g. `["evalsha", "<sha>", "1", "key"]`. */
  commands(): Promise<string[][]>;
  /** Forgets what was seen so far. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function tap(url: string, watched: Redis): Promise<Tap> {
  await watched.ping();
  const info = String(await watched.client("INFO"));
  const addr = /\baddr=(\S+)/.exec(info)?.[1];
  if (!addr) throw new Error(`no addr in CLIENT INFO: ${info}`);
  const source = connectRedis(url);
  const monitor = await source.monitor();
  monitor.on("error", () => {});
  let seen: string[][] = [];
  monitor.on("monitor", (_time: string, args: string[], from: string) => {
    if (from === addr) seen.push([args[0].toLowerCase(), ...args.slice(1)]);
  });
  /** A marker from the watched client: once MONITOR shows it, everything before it arrived. */
  const settle = async () => {
    const marker = `tap-${crypto.randomUUID()}`;
    await watched.echo(marker);
    const deadline = Date.now() + 2_000;
    while (!seen.some((c) => c[0] === "echo" && c[1] === marker)) {
      if (Date.now() > deadline) throw new Error("MONITOR did not see the marker");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    seen = seen.filter((c) => !(c[0] === "echo" && c[1] === marker));
  };
  return {
    commands: async () => {
      await settle();
      return seen.map((c) => [...c]);
    },
    reset: async () => {
      await settle();
      seen = [];
    },
    close: async () => {
      monitor.disconnect();
      await closeRedis(source);
    },
  };
}

/**
 * Where a fake store's reads wait once it has its answer: open until `hold()`, which returns the
 * function that opens it again (so a test can deliver a message while a read is on its way).
 */
export function readGate(): { pass(): Promise<void>; hold(): () => void } {
  let held: Promise<void> | null = null;
  return {
    pass: () => held ?? Promise.resolve(),
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
  };
}
