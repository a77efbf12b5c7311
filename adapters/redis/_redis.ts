/** Helpers shared by the Redis adapters: outage mapping and Lua scripts run by SHA. */
import type { Redis } from "ioredis";
import { DependencyUnavailable } from "../../domain/errors.ts";

/** Replies that mean "Redis cannot serve right now", not "this command is wrong". */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|MISCONF|OOM)\b/;

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

/** Client states in which a command would only wait for a reconnect that already failed. */
const DOWN = new Set(["reconnecting", "close", "end"]);

/**
 * Runs one adapter operation. While the client is between failed reconnect attempts it fails
 * at once instead of queueing; otherwise connection failures, timeouts and "server busy"
 * replies become `DependencyUnavailable("redis", cause)`. Any other error reply (a bug: wrong
 * type, bad argument) propagates unchanged.
 */
export async function attempt<T>(redis: Redis, operation: () => Promise<T>): Promise<T> {
  if (DOWN.has(redis.status)) {
    throw new DependencyUnavailable("redis", new Error(`redis client is ${redis.status}`));
  }
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DependencyUnavailable) throw error;
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
 * A Lua script loaded once with SCRIPT LOAD and called with EVALSHA: one round trip per call.
 * When the server answers NOSCRIPT (restart, SCRIPT FLUSH, failover) the script is loaded
 * again and the call retried once.
 */
export class LuaScript {
  #sha: Promise<string> | null = null;

  constructor(readonly source: string) {}

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]) {
    const sha = this.#load(redis);
    try {
      return await redis.evalsha(await sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      if (this.#sha === sha) this.#sha = null; // concurrent callers reload only once
      return await redis.evalsha(await this.#load(redis), keys.length, ...keys, ...args);
    }
  }

  #load(redis: Redis): Promise<string> {
    if (this.#sha === null) {
      const loading = (redis.script("LOAD", this.source) as Promise<unknown>).then(String);
      this.#sha = loading;
      // A failed load (Redis down) must not stick: the next call loads again.
      loading.catch(() => {
        if (this.#sha === loading) this.#sha = null;
      });
    }
    return this.#sha;
  }
}

/** Key prefix: every adapter's keys live under it (tests use a unique one each). */
export const DEFAULT_PREFIX = "polycart:";
