/**
 * One fault at a time, each against the running stack: stop (or crash) a real server process,
 * check that the API degrades the way the README promises, bring the server back, and check
 * that the API recovers by itself (same process) and that nothing was lost.
 */
import assert from "node:assert/strict";
import {
  conservationViolations,
  indexDivergence,
  ledger,
  orderViolations,
  waitForIndex,
} from "./_checks.ts";
import type { Figures } from "./_figures.ts";
import {
  type Account,
  createProduct,
  expectStatus,
  type Http,
  isProblem,
  register,
  type Reply,
  uniqueTag,
} from "./_http.ts";
import { delay, type ServerProcess } from "./_servers.ts";
import type { Stack } from "./_stack.ts";

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null>,
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let last: unknown = null;
  while (performance.now() - started < timeoutMs) {
    try {
      const value = await probe();
      if (value !== null) return { value, ms: Math.round(performance.now() - started) };
    } catch (error) {
      last = error;
    }
    await delay(200);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${last})`);
}

/**
 * Runs a fault scenario and, whatever happens in it, leaves the server running again, so one
 * failed step cannot take the rest of the suite down with it.
 */
async function restoring(server: ServerProcess, scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } finally {
    if (!server.running) await server.start();
  }
}

function checkout(stack: Stack, user: Account, items: { sku: string; qty: number }[]) {
  return stack.http.post("/orders", {
    token: user.token,
    json: { ...stack.delivery, items },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
}

function pay(http: Http, user: Account, orderId: string, token = "tok_visa") {
  return http.post("/payments", {
    token: user.token,
    json: { orderId, provider: "test", paymentToken: token },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
}

async function readiness(http: Http): Promise<Reply> {
  return await http.get("/ready", { timeoutMs: 10_000 });
}

function downChecks(reply: Reply): string[] {
  return (reply.body?.checks ?? []).filter((c: { status: string }) => c.status === "down")
    .map((c: { name: string }) => c.name);
}

// ---- Redis --------------------------------------------------------------------------------

export async function redisDown(stack: Stack, figures: Figures): Promise<void> {
  await restoring(stack.redis, async () => {
    const http = stack.http;
    const tag = uniqueTag();
    const skus = [`RDS-${tag}-1`, `RDS-${tag}-2`, `RDS-${tag}-3`];
    for (const sku of skus) await createProduct(http, stack.admin.token, sku, 50);
    const user = await register(http, "redis-fault");
    for (const sku of skus) expectStatus(await http.get(`/products/${sku}`), 200, "warm the cache");
    expectStatus(
      await http.post("/cart/items", { token: user.token, json: { sku: skus[0], qty: 1 } }),
      200,
      "cart before the outage",
    );
    const apiPid = stack.api.pid;

    await stack.redis.stop();
    let checked = 0;
    // Product reads fall back to the catalog: no 5xx, ever.
    for (let i = 0; i < 30; i++) {
      const reply = await http.get(`/products/${skus[i % skus.length]}`);
      expectStatus(reply, 200, "product read with Redis down");
      checked++;
    }
    expectStatus(await http.get("/products?category=reliability"), 200, "browse with Redis down");
    // Carts live in Redis only: 503 problem+json that names Redis, with Retry-After.
    for (
      const reply of [
        await http.get("/cart", { token: user.token }),
        await http.post("/cart/items", { token: user.token, json: { sku: skus[1], qty: 1 } }),
        await http.send("DELETE", "/cart", { token: user.token }),
      ]
    ) {
      assert.ok(
        isProblem(reply, 503, "dependency_unavailable"),
        `cart with Redis down: ${reply.text}`,
      );
      assert.equal(reply.body.dependency, "redis");
      assert.ok(reply.headers.get("retry-after"), "503 carries Retry-After");
      checked++;
    }
    // Checkout with explicit items and payment keep working (the limiter fails open).
    const placed = await checkout(stack, user, [{ sku: skus[2], qty: 2 }]);
    expectStatus(placed, 201, "checkout with Redis down");
    expectStatus(await pay(http, user, placed.body.id), 201, "payment with Redis down");
    checked += 2;
    const ready = await readiness(http);
    expectStatus(ready, 200, "/ready with Redis down (not critical)");
    assert.equal(ready.body.status, "degraded");
    assert.deepEqual(downChecks(ready), ["redis"]);

    await stack.redis.start();
    const recovered = await until("carts answer again", 30_000, async () => {
      const reply = await http.get("/cart", { token: user.token });
      return reply.status === 200 ? reply : null;
    });
    expectStatus(
      await http.post("/cart/items", { token: user.token, json: { sku: skus[1], qty: 1 } }),
      200,
      "cart after recovery",
    );
    expectStatus(await http.get(`/products/${skus[0]}`), 200, "product after recovery");
    await until("ready, not degraded", 30_000, async () => {
      const reply = await readiness(http);
      return reply.body?.status === "ready" ? reply : null;
    });
    assert.equal(stack.api.pid, apiPid, "the API was not restarted");
    figures.checked("fault: Redis down", checked + 4);
    figures.fault(
      "Redis stopped: products served from the catalog, carts 503, checkout works",
      true,
    );
    figures.note(`Redis back: carts answered again ${recovered.ms} ms later, same API process`);
  });
}

// ---- Elasticsearch ------------------------------------------------------------------------

export async function elasticsearchDown(stack: Stack, figures: Figures): Promise<void> {
  await restoring(stack.es, async () => {
    const http = stack.http;
    const admin = stack.admin.token;
    const tag = uniqueTag();
    const existing = [`ESF-${tag}-1`, `ESF-${tag}-2`, `ESF-${tag}-3`, `ESF-${tag}-4`];
    for (const sku of existing) await createProduct(http, admin, sku, 30);
    const before = await waitForIndex(stack, 60_000);
    assert.deepEqual(before, [], "index in sync before the outage");
    const user = await register(http, "es-fault");

    await stack.es.stop();
    let checked = 0;
    for (const path of [`/search?q=reliability`, `/search/autocomplete?q=rel`, "/search"]) {
      const reply = await http.get(path);
      assert.ok(isProblem(reply, 503, "dependency_unavailable"), `${path}: ${reply.text}`);
      assert.equal(reply.body.dependency, "elasticsearch");
      checked++;
    }
    const ready = await readiness(http);
    expectStatus(ready, 200, "/ready with Elasticsearch down (not critical)");
    assert.deepEqual(downChecks(ready), ["elasticsearch"]);

    // Writes go to their sources of truth regardless.
    const marker = `zebra${tag.toLowerCase()}`;
    const created = [`ESF-${tag}-N1`, `ESF-${tag}-N2`, `ESF-${tag}-N3`];
    for (const sku of created) {
      await createProduct(http, admin, sku, 20, { name: `Reliability ${sku} ${marker}` });
      checked++;
    }
    for (const sku of existing.slice(0, 2)) {
      const renamed = await http.send("PATCH", `/admin/products/${sku}`, {
        token: admin,
        json: { name: `Renamed ${sku} ${marker}` },
      });
      expectStatus(renamed, 200, "rename with Elasticsearch down");
      const priced = await http.send("PATCH", `/admin/inventory/${sku}`, {
        token: admin,
        json: { unitPriceCents: 12_345 },
      });
      expectStatus(priced, 200, "price change with Elasticsearch down");
      checked += 2;
    }
    const deleted = existing[3];
    expectStatus(
      await http.send("DELETE", `/admin/products/${deleted}`, { token: admin }),
      204,
      "delete with Elasticsearch down",
    );
    const placed = await checkout(stack, user, [{ sku: existing[2], qty: 30 }]);
    expectStatus(placed, 201, "checkout with Elasticsearch down");
    expectStatus(await pay(http, user, placed.body.id), 201, "payment with Elasticsearch down");
    checked += 3;
    const status = await http.get("/admin/sync/status", { token: admin });
    expectStatus(status, 200, "sync status with Elasticsearch down");

    const t0 = performance.now();
    await stack.es.start();
    const divergence = await waitForIndex(stack, 120_000);
    const caughtUp = Math.round(performance.now() - t0);
    assert.deepEqual(divergence, [], "every change made while Elasticsearch was down is indexed");
    const found = await until("new products searchable", 30_000, async () => {
      const reply = await http.get(`/search?q=${marker}&size=20`);
      return reply.status === 200 && reply.body.total === created.length + 2 ? reply : null;
    });
    const skus = found.value.body.items.map((i: { sku: string }) => i.sku).sort();
    assert.deepEqual(skus, [...created, ...existing.slice(0, 2)].sort());
    // The index matched the sources above; searches see each document after its refresh,
    // and the stock change travels on the outbox feed, apart from the catalog's changes.
    const hits = (sku: string, filter = "") => async () => {
      const reply = await http.get(`/search?q=${encodeURIComponent(sku)}${filter}`);
      expectStatus(reply, 200, "search after recovery");
      return reply.body.items.some((i: { sku: string }) => i.sku === sku) ? null : true;
    };
    await until("deleted SKU gone from search", 10_000, hits(deleted));
    await until(
      "sold-out SKU gone from in-stock search",
      10_000,
      hits(existing[2], "&inStock=true"),
    );
    figures.checked("fault: Elasticsearch down", checked + 3);
    figures.fault("Elasticsearch stopped: search 503, writes succeed, sync catches up", true);
    figures.note(
      `Elasticsearch back: index matched every source ${caughtUp} ms after the restart began ` +
        `(11 changes made during the outage, none lost)`,
    );
  });
}

// ---- MongoDB ------------------------------------------------------------------------------

export async function mongoDown(stack: Stack, figures: Figures): Promise<void> {
  await restoring(stack.mongo, async () => {
    const http = stack.http;
    const admin = stack.admin.token;
    const tag = uniqueTag();
    const cached = [`MGF-${tag}-1`, `MGF-${tag}-2`, `MGF-${tag}-3`];
    const cold = `MGF-${tag}-COLD`;
    for (const sku of [...cached, cold]) await createProduct(http, admin, sku, 40);
    // The sync drops a SKU's cache entry when it indexes a change: let it finish first.
    assert.deepEqual(await waitForIndex(stack, 60_000), [], "in sync before warming the cache");
    const warm = new Map<string, string>();
    for (const sku of cached) {
      await http.get(`/products/${sku}`);
      const reply = await http.get(`/products/${sku}`);
      expectStatus(reply, 200, "warm read");
      warm.set(sku, reply.text);
    }
    const user = await register(http, "mongo-fault");

    await stack.mongo.stop();
    let checked = 0;
    for (let round = 0; round < 5; round++) {
      for (const sku of cached) {
        const reply = await http.get(`/products/${sku}`);
        expectStatus(reply, 200, "cached product with MongoDB down");
        assert.equal(reply.text, warm.get(sku), "served from the cache unchanged");
        checked++;
      }
    }
    const coldRead = await http.get(`/products/${cold}`, { timeoutMs: 30_000 });
    assert.ok(isProblem(coldRead, 503, "dependency_unavailable"), `uncached: ${coldRead.text}`);
    assert.equal(coldRead.body.dependency, "mongodb");
    const browse = await http.get("/products", { timeoutMs: 30_000 });
    assert.ok(isProblem(browse, 503, "dependency_unavailable"), `browse: ${browse.text}`);
    const failedCreate = await http.post("/admin/products", {
      token: admin,
      json: {
        sku: `MGF-${tag}-NEW`,
        name: `Reliability MGF-${tag}-NEW`,
        category: "reliability",
        brand: "Polycart",
        priceCents: 999,
        stock: 5,
      },
      timeoutMs: 30_000,
    });
    assert.ok(isProblem(failedCreate, 503, "dependency_unavailable"), failedCreate.text);
    // Money and stock never need MongoDB.
    const placed = await checkout(stack, user, [{ sku: cached[0], qty: 1 }]);
    expectStatus(placed, 201, "checkout with MongoDB down");
    expectStatus(await pay(http, user, placed.body.id), 201, "payment with MongoDB down");
    const detail = await http.get(`/orders/${placed.body.id}`, {
      token: user.token,
      timeoutMs: 30_000,
    });
    expectStatus(detail, 200, "order detail with MongoDB down");
    checked += 6;
    const ready = await readiness(http);
    expectStatus(ready, 200, "/ready with MongoDB down (not critical)");
    assert.deepEqual(downChecks(ready), ["mongodb"]);

    await stack.mongo.start();
    const back = await until("catalog browsable again", 60_000, async () => {
      const reply = await http.get("/products?category=reliability");
      return reply.status === 200 ? reply : null;
    });
    expectStatus(await http.get(`/products/${cold}`), 200, "cold product after recovery");
    const retried = await createProduct(http, admin, `MGF-${tag}-NEW`, 5);
    expectStatus(retried, 201, "the refused create succeeds after recovery");
    const divergence = await waitForIndex(stack, 60_000);
    assert.deepEqual(divergence, [], "the change stream resumed after the restart");
    figures.checked("fault: MongoDB down", checked + 5);
    figures.fault(
      "MongoDB stopped: cached products served, checkout works, catalog recovers",
      true,
    );
    figures.note(`MongoDB back: catalog reads answered again ${back.ms} ms after the restart`);
  });
}

// ---- PostgreSQL mid-checkout --------------------------------------------------------------

export async function postgresDownMidCheckout(stack: Stack, figures: Figures): Promise<void> {
  await restoring(stack.pg, async () => {
    const http = stack.http;
    const tag = uniqueTag();
    const initial = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const sku = `PGF-${tag}-${i}`;
      await createProduct(http, stack.admin.token, sku, 30);
      initial.set(sku, 30);
    }
    const skus = [...initial.keys()];
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => register(http, `pg-${i}`)));
    const replies: Reply[] = [];
    const slow: string[] = [];
    const timed = async (what: string, request: Promise<Reply>) => {
      const started = performance.now();
      try {
        const reply = await request;
        replies.push(reply);
        return reply;
      } finally {
        const ms = performance.now() - started;
        if (ms > 3_000) slow.push(`${what} took ${Math.round(ms)} ms`);
      }
    };
    const deadline = performance.now() + 14_000;
    const shopper = async (user: Account) => {
      while (performance.now() < deadline) {
        const key = crypto.randomUUID();
        const items = [{ sku: skus[Math.floor(Math.random() * skus.length)], qty: 1 }];
        let placed: Reply | null = null;
        for (let attempt = 0; attempt < 8 && performance.now() < deadline + 10_000; attempt++) {
          try {
            placed = await timed(
              "POST /orders",
              http.post("/orders", {
                token: user.token,
                json: { ...stack.delivery, items },
                headers: { "Idempotency-Key": key },
              }),
            );
            if (placed.status < 500 && !isProblem(placed, 409, "idempotency_in_flight")) break;
          } catch {
            // connection refused or reset: retry with the same key
          }
          await delay(250);
        }
        if (placed?.status === 201 && Math.random() < 0.6) {
          try {
            await timed("POST /payments", pay(http, user, placed.body.id));
          } catch {
            // unknown: the checks below look at the database
          }
        }
      }
    };
    let sawNotReady: Reply | null = null;
    const fault = async () => {
      await delay(3_000);
      await stack.pg.kill();
      sawNotReady = await readiness(http);
      await delay(3_000);
      await stack.pg.start();
    };
    await Promise.all([...users.map(shopper), fault()]);
    await stack.waitReady();

    // Down means answered at once (503), not left hanging until the server is back.
    assert.deepEqual(slow, [], "requests hung while PostgreSQL was down");
    const notReady = sawNotReady as Reply | null;
    assert.ok(notReady && isProblem(notReady, 503, "not_ready"), `/ready: ${notReady?.text}`);
    assert.deepEqual(downChecks(notReady), ["postgres"]);
    const errors = replies.filter((r) => r.status >= 500);
    const not503 = errors.filter((r) => !isProblem(r, 503, "dependency_unavailable"));
    assert.deepEqual(not503.map((r) => `${r.status} ${r.text}`), [], "outage answers are 503");
    assert.ok(errors.length > 0, "the outage was seen by clients");
    assert.ok(errors.every((r) => r.body.dependency === "postgres"));

    // No partial orders, no stuck reservations: cancel what is pending, nothing stays reserved.
    const userIds = users.map((u) => u.id);
    const orders = await orderViolations(stack.sql, userIds);
    assert.deepEqual(orders.violations, []);
    assert.deepEqual(conservationViolations(await ledger(stack.sql, initial), initial), []);
    const pending = await stack.sql`
      SELECT id, user_id FROM orders WHERE status = 'pending' AND user_id = ANY(${userIds})`;
    for (const order of pending) {
      const owner = users.find((u) => u.id === order.user_id)!;
      const reply = await http.post(`/orders/${order.id}/cancel`, { token: owner.token });
      expectStatus(reply, [200, 409], "cancel a pending order after recovery"); // 409: expired meanwhile
    }
    const after = await ledger(stack.sql, initial);
    assert.deepEqual(conservationViolations(after, initial), []);
    assert.deepEqual(
      after.filter((r) => r.reserved !== 0).map((r) => r.sku),
      [],
      "stuck reservations",
    );
    figures.checked("fault: PostgreSQL down mid-checkout", replies.length + orders.orders);
    figures.fault(
      "PostgreSQL crashed mid-checkout: 503 not 500, /ready 503, no partial orders",
      true,
    );
    figures.note(
      `PostgreSQL crash: ${errors.length} of ${replies.length} requests answered 503 ` +
        `(none 500), ${orders.orders} orders whole, 0 units left reserved`,
    );
  });
}

// ---- the sync worker killed ---------------------------------------------------------------

export async function workerKilled(stack: Stack, figures: Figures): Promise<void> {
  await restoring(stack.worker, async () => {
    const http = stack.http;
    const admin = stack.admin.token;
    const tag = uniqueTag();
    const skus = Array.from({ length: 10 }, (_, i) => `WKF-${tag}-${i}`);
    for (const sku of skus) await createProduct(http, admin, sku, 100);
    assert.deepEqual(await waitForIndex(stack, 60_000), [], "in sync before the kill");
    const before = await stack.sql`SELECT feed, checkpoint FROM sync_checkpoints ORDER BY feed`;

    let changes = 0;
    const change = async (i: number) => {
      const sku = skus[i % skus.length];
      const reply = i % 2 === 0
        ? await http.send("PATCH", `/admin/inventory/${sku}`, {
          token: admin,
          json: { unitPriceCents: 1_000 + i, delta: -1 },
        })
        : await http.send("PATCH", `/admin/products/${sku}`, {
          token: admin,
          json: { name: `Reliability ${sku} edit ${i}` },
        });
      expectStatus(reply, 200, "change");
      changes++;
    };
    let i = 0;
    for (; i < 20; i++) await change(i);
    await stack.worker.kill(); // mid-pass: the checkpoint may lag what was applied
    for (; i < 40; i++) await change(i);
    const stale = await indexDivergence(stack);
    assert.ok(stale.length > 0, "changes made while the worker is dead are not indexed yet");
    await stack.worker.start();
    for (; i < 60; i++) await change(i);
    const t0 = performance.now();
    const divergence = await waitForIndex(stack, 60_000);
    assert.deepEqual(divergence, [], "nothing lost, nothing applied out of order");
    const after = await stack.sql`SELECT feed, checkpoint FROM sync_checkpoints ORDER BY feed`;
    assert.equal(after.length, before.length);
    assert.notDeepEqual(after, before, "checkpoints moved on from where they were");
    figures.checked("fault: worker SIGKILL", changes + skus.length);
    figures.fault("sync worker SIGKILLed mid-stream: resumed from its checkpoint", true);
    figures.note(
      `worker SIGKILL: ${changes} changes (20 while dead), index matched the sources ` +
        `${Math.round(performance.now() - t0)} ms after the last one`,
    );
  });
}
