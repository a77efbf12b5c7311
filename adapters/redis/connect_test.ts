import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { RedisCartStore } from "./carts.ts";
import { userCart } from "../../ports/cart/carts.ts";
import {
  closeRedis,
  connectRedis,
  connectRedisCluster,
  type Redis,
  type RedisClient,
  RedisHealthCheck,
} from "./connect.ts";
import { RedisLeaderboards } from "./leaderboards.ts";
import { RedisProductCache } from "./product_cache.ts";
import { RedisRateLimiter } from "./rate_limiter.ts";

const url = integrationUrl("REDIS_URL");

const VIEW: ProductView = {
  sku: "SKU-1",
  name: "Mug",
  slug: "mug",
  category: "kitchen",
  brand: "Acme",
  description: "",
  images: [],
  attrs: {},
  variants: [],
  tags: [],
  ratings: { avg: 0, count: 0 },
  priceCents: 100,
  currency: "USD",
  publishedAt: null,
  updatedAt: new Date(0),
  availability: { available: 1, inStock: true },
  priceRange: { minCents: 100, maxCents: 100 },
};

const U1 = userCart("u1");

/** Every operation of every Redis adapter, on one client. */
function everyOperation(redis: RedisClient): [string, () => Promise<unknown>][] {
  const carts = new RedisCartStore(redis);
  const cache = new RedisProductCache(redis);
  const limiter = new RedisRateLimiter(redis);
  const boards = new RedisLeaderboards(redis);
  return [
    ["carts.get", () => carts.get(U1)],
    ["carts.add", () => carts.add(U1, "A", 1)],
    ["carts.add(-1)", () => carts.add(U1, "A", -1)],
    ["carts.set", () => carts.set(U1, "A", 2)],
    ["carts.remove", () => carts.remove(U1, "A")],
    ["carts.clear", () => carts.clear(U1)],
    ["carts.subtract", () => carts.subtract(U1, [{ sku: "A", qty: 1 }])],
    ["carts.createGuest", () => carts.createGuest("g1", "A", 1)],
    ["carts.claimGuest", () => carts.claimGuest("g1", "u1")],
    ["carts.mergeInto", () => carts.mergeInto("u1", "g1", [{ sku: "A", qty: 1, max: 5 }])],
    ["carts.discardGuest", () => carts.discardGuest("g1")],
    ["cache.get", () => cache.get("SKU-1")],
    ["cache.set", () => cache.set(VIEW, 1_000)],
    ["cache.invalidate", () => cache.invalidate("SKU-1")],
    ["limiter.hit", () => limiter.hit("k", 10, 1_000, new Date())],
    [
      "boards.addProductUnits",
      () => boards.addProductUnits("2030-01-01", [{ sku: "A", units: 1 }]),
    ],
    ["boards.addCustomerPoints", () => boards.addCustomerPoints("u1", 1)],
    ["boards.topProducts", () => boards.topProducts("2030-01-01", 3)],
    ["boards.topCustomers", () => boards.topCustomers(3)],
    ["boards.customerRank", () => boards.customerRank("u1")],
    ["health", () => new RedisHealthCheck(redis).check()],
  ];
}

/** Asserts each operation rejects with DependencyUnavailable("redis") within `withinMs`. */
async function assertAllUnavailable(redis: RedisClient, withinMs: number): Promise<number> {
  let slowest = 0;
  for (const [name, operation] of everyOperation(redis)) {
    const started = performance.now();
    await assert.rejects(operation(), (e: unknown) => {
      assert.ok(e instanceof DependencyUnavailable, `${name}: ${e}`);
      assert.equal(e.dependency, "redis");
      return true;
    }, name);
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    assert.ok(took < withinMs, `${name} took ${Math.round(took)} ms`);
  }
  return slowest;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function redisServerAvailable(): Promise<boolean> {
  try {
    return (await new Deno.Command("redis-server", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}

function startRedis(port: number): Deno.ChildProcess {
  return new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function waitForPing(redis: Redis): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

Deno.test({
  name: "Redis adapters when Redis is unreachable",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("a closed port: every operation throws DependencyUnavailable fast", async () => {
      const redis = connectRedis(`redis://127.0.0.1:${freePort()}`);
      try {
        const slowest = await assertAllUnavailable(redis, 1_500);
        console.log(`    slowest failure against a closed port: ${Math.round(slowest)} ms`);
      } finally {
        await closeRedis(redis);
      }
    });

    await t.step("a cluster none of whose nodes answers: every operation fails fast", async () => {
      const cluster = connectRedisCluster([
        { host: "127.0.0.1", port: freePort() },
        { host: "127.0.0.1", port: freePort() },
      ]);
      try {
        // Twice: while the client first connects, then between its reconnect attempts.
        for (const round of ["connecting", "reconnecting"]) {
          const slowest = await assertAllUnavailable(cluster, 1_500);
          console.log(`    slowest failure, cluster ${round}: ${Math.round(slowest)} ms`);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      } finally {
        await closeRedis(cluster);
      }
    });

    await t.step({
      name: "Redis dies mid-flight: fast failures, recovery on restart, timeout when hung",
      ignore: !(await redisServerAvailable()),
      fn: async () => {
        const port = freePort();
        let server = startRedis(port);
        const redis = connectRedis(`redis://127.0.0.1:${port}`);
        try {
          await waitForPing(redis);
          const carts = new RedisCartStore(redis);
          assert.deepEqual((await carts.add(U1, "A", 1)).lines, { A: 1 });

          server.kill("SIGKILL");
          await server.status;
          const slowest = await assertAllUnavailable(redis, 2_500);
          console.log(`    slowest failure after the server died: ${Math.round(slowest)} ms`);

          server = startRedis(port);
          await waitForPing(redis);
          assert.deepEqual(
            (await carts.add(U1, "B", 2)).lines,
            { B: 2 },
            "works again (data was lost)",
          );

          // A server that accepts but never answers (stopped process): the command timeout.
          server.kill("SIGSTOP");
          const started = performance.now();
          await assert.rejects(carts.get(U1), DependencyUnavailable);
          const hung = performance.now() - started;
          server.kill("SIGCONT");
          assert.ok(hung < 1_500, `a hung Redis took ${Math.round(hung)} ms to fail`);
          console.log(`    failure against a hung server: ${Math.round(hung)} ms`);
        } finally {
          await closeRedis(redis);
          try {
            server.kill("SIGKILL");
          } catch { /* already gone */ }
          await server.status;
        }
      },
    });
  },
});

Deno.test({
  name: "RedisHealthCheck answers when Redis is up",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const redis = connectRedis(url!);
    try {
      const check = new RedisHealthCheck(redis);
      assert.equal(check.critical, false);
      await check.check();
    } finally {
      await closeRedis(redis);
    }
  },
});
