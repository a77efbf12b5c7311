/**
 * Test support (used by the `_test.ts` files only): a client with a key prefix no other test
 * uses, a MONITOR tap that records what one client sent, and clean-up of the prefix.
 */
import type { Redis } from "ioredis";
import { closeRedis, connectRedis } from "./connect.ts";

export interface TestRedis {
  readonly redis: Redis;
  /** Unique per fixture, ends with ":". */
  readonly prefix: string;
  /** Deletes every key under the prefix and closes the client. */
  close(): Promise<void>;
}

export async function testRedis(url: string): Promise<TestRedis> {
  const redis = connectRedis(url);
  const prefix = `test:${crypto.randomUUID()}:`;
  await redis.ping();
  return {
    redis,
    prefix,
    close: async () => {
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
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
