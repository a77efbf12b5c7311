/**
 * Helpers shared by the Redis adapters: the client type, outage mapping, Lua scripts run by SHA
 * and the key rule that keeps every adapter correct on a Redis Cluster.
 *
 * THE CLUSTER RULE (for every adapter here and every new one): each command, MULTI, pipeline
 * and script touches keys of ONE hash slot, and a script names every key it touches in KEYS
 * (never builds one from ARGV or from a value it read). A key used alone needs nothing; keys that
 * must meet in one command/MULTI/script carry the same hash tag, `{...}`, built by `tagged()`.
 * Keys of different ids (one per SKU, one per user) are never read or written by one multi-key
 * command (MGET, MSET, DEL a b, a MULTI or `pipeline()` over them): send one command per key
 * at once (`Promise.all`), each goes to its own node. Two entries that cannot share a tag (a
 * view by SKU and a pointer by slug) are read and written by separate commands, never by one
 * script. A new adapter adds its operations to `cluster_test.ts`, which runs every operation on
 * a real cluster with keys on every primary: a cross-slot command fails there (CROSSSLOT).
 */
import { createHash } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import { DependencyUnavailable } from "../../domain/errors.ts";

/** A single server or a cluster: the adapters use only the command API both share. */
export type RedisClient = Redis | Cluster;

/** Replies that mean "Redis cannot serve right now", not "this command is wrong". */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|MISCONF|OOM)\b/;

/** ioredis' own refusal of a cluster pipeline/MULTI whose keys span slots: a bug, not an outage. */
const CROSS_SLOT_PIPELINE = /should belong to the same slot/;

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

/**
 * Client states in which a command would only wait for a reconnect that already failed (the
 * same names for a server's client and for a cluster's, whose "close"/"reconnecting" mean that
 * no node answered).
 */
const DOWN = new Set(["reconnecting", "close", "end"]);

/**
 * Runs one adapter operation. While the client is between failed reconnect attempts it fails
 * at once instead of queueing; otherwise connection failures, timeouts and "server busy"
 * replies become `DependencyUnavailable("redis", cause)`. Any other error reply (a bug: wrong
 * type, bad argument, CROSSSLOT) propagates unchanged.
 */
export async function attempt<T>(
  redis: RedisClient,
  operation: () => Promise<T>,
): Promise<T> {
  if (DOWN.has(redis.status)) {
    throw new DependencyUnavailable("redis", new Error(`redis client is ${redis.status}`));
  }
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DependencyUnavailable) throw error;
    if (error instanceof Error && CROSS_SLOT_PIPELINE.test(error.message)) throw error;
    if (isReplyError(error) && !UNAVAILABLE_REPLIES.test(error.message)) throw error;
    throw new DependencyUnavailable("redis", error);
  }
}

/** `exec()` results of a MULTI: throws the first failed command's error, else the replies. */
export function replies(results: [Error | null, unknown][] | null): unknown[] {
  if (results === null) throw new Error("redis transaction was discarded");
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/**
 * A Lua script called with EVALSHA: one round trip per call. The SHA is computed here; when the
 * server answers NOSCRIPT (first call, restart, SCRIPT FLUSH, a promoted replica) the call is
 * sent again as EVAL, which runs it and caches it on that server. Both go to the server that
 * owns the keys' slot (a cluster routes them by their first key), so the script is always
 * loaded where it runs; a SCRIPT LOAD would reach an arbitrary node of a cluster.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]) {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * `<prefix><kind>:{<id>}`: the id is the key's hash tag, so every key built for the same id
 * lands in the same cluster slot, whatever the kind. The prefix must hold no `{` (the config
 * forbids it): Redis hashes only the first `{...}`. An empty id would make an empty tag, which
 * Redis ignores (the whole key is hashed): callers never build one.
 */
export function tagged(prefix: string, kind: string, id: string): string {
  if (id === "") throw new RangeError(`empty id for a ${kind} key`);
  return `${prefix}${kind}:{${id}}`;
}

/** Key prefix: every adapter's keys live under it (tests use a unique one each). */
export const DEFAULT_PREFIX = "polycart:";
