/**
 * The Redis servers the suites run on, read from the environment (test support only): the
 * single server (`REDIS_URL`) and the cluster (`REDIS_CLUSTER_NODES`).
 */
import { integrationUrl } from "../../testing/integration.ts";
import { type TestRedis, testRedis, testRedisCluster } from "./_testing.ts";

/** A Redis the contract suites run on; `open` is only called when `available`. */
export interface RedisTarget {
  /** Appended to the suite's label: "" for the single server, " on a cluster" for the cluster. */
  readonly suffix: string;
  readonly available: boolean;
  open(): Promise<TestRedis>;
}

/**
 * The single server and the cluster. Each suite registers once per target; a target whose
 * variable is unset is registered as ignored, and `integrationUrl` says so loudly.
 */
export function redisTargets(): RedisTarget[] {
  const url = integrationUrl("REDIS_URL");
  const nodes = integrationUrl("REDIS_CLUSTER_NODES");
  return [
    { suffix: "", available: !!url, open: () => testRedis(url!) },
    { suffix: " on a cluster", available: !!nodes, open: () => testRedisCluster(nodes!) },
  ];
}
