/**
 * Conservation under concurrency, after Jepsen's bank test: many clients place, pay, cancel
 * and retry orders over random SKUs and one hot SKU while the admin ships, delivers and
 * refunds, and servers are stopped, crashed and restarted under them. Every operation is
 * logged as ok (2xx), failed (a definite 4xx) or unknown (5xx, timeout, connection lost,
 * or 409 "in flight"). Afterwards the sources of truth must balance per SKU, every
 * acknowledged order and payment must exist, and no idempotency key may have two orders.
 *
 * Pending orders live one minute (ORDER_TTL_MINUTES=1), so the worker's sweeper expires some
 * during the run, and a few payments are deliberately sent at their order's expiry instant.
 */
import assert from "node:assert/strict";
import { IDEMPOTENCY_LEASE_MS } from "../application/idempotency.ts";
import { conservationViolations, ledger, levelLabel, orderViolations } from "./_checks.ts";
import type { Figures } from "./_figures.ts";
import { type Account, createProduct, Http, register, type Reply } from "./_http.ts";
import { delay } from "./_servers.ts";
import type { Stack } from "./_stack.ts";

type Outcome = "ok" | "failed" | "unknown";

interface Operation {
  readonly client: string;
  readonly kind: string;
  readonly key: string | null;
  readonly at: number;
  readonly ms: number;
  readonly outcome: Outcome;
  readonly status: number | null;
  readonly text: string;
  readonly orderId?: string;
}

const log: Operation[] = [];

/** Every request sent with an Idempotency-Key, by `<client> <key>`, to retry it later. */
interface KeyedRequest {
  readonly client: Client;
  readonly kind: string;
  readonly path: string;
  readonly json: unknown;
  readonly key: string;
}
const keyed = new Map<string, KeyedRequest>();

function classify(reply: Reply | null): Outcome {
  if (reply === null) return "unknown";
  if (reply.status >= 200 && reply.status < 300) return "ok";
  if (reply.status === 409 && reply.body?.type?.endsWith("idempotency_in_flight")) return "unknown";
  if (reply.status === 429) return "unknown";
  if (reply.status >= 400 && reply.status < 500) return "failed";
  return "unknown";
}

const random = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(xs: readonly T[]) => xs[random(xs.length)];

class Client {
  constructor(
    readonly name: string,
    readonly http: Http,
    readonly account: Account,
    readonly started: number,
  ) {}

  async once(
    kind: string,
    method: string,
    path: string,
    json: unknown,
    key: string | null,
  ): Promise<Reply | null> {
    const t0 = performance.now();
    let reply: Reply | null = null;
    let error = "";
    try {
      reply = await this.http.send(method, path, {
        token: this.account.token,
        json,
        headers: key === null ? {} : { "Idempotency-Key": key },
        timeoutMs: 10_000,
      });
    } catch (e) {
      error = String(e);
    }
    const outcome = classify(reply);
    log.push({
      client: this.name,
      kind,
      key,
      at: Math.round(t0 - this.started),
      ms: Math.round(performance.now() - t0),
      outcome,
      status: reply?.status ?? null,
      text: reply?.text ?? error,
      orderId: reply && outcome === "ok" ? (reply.body?.id ?? reply.body?.order?.id) : undefined,
    });
    return reply;
  }

  /** Retries an unknown outcome with the same key, as a careful client would. */
  async idempotent(kind: string, path: string, json: unknown, key: string, attempts = 6) {
    keyed.set(`${this.name} ${key}`, { client: this, kind, path, json, key });
    let reply: Reply | null = null;
    for (let i = 0; i < attempts; i++) {
      reply = await this.once(kind, "POST", path, json, key);
      if (classify(reply) !== "unknown") return reply;
      await delay(300 + random(700));
    }
    return reply;
  }
}

export interface ConservationResult {
  readonly operations: number;
  readonly outcomes: Record<Outcome, number>;
  readonly stuckKeys: number;
  readonly latePayments: { paid: number; expired: number; unknown: number };
}

export async function conservation(
  stack: Stack,
  figures: Figures,
  options: { durationMs: number; clients: number },
): Promise<ConservationResult> {
  const http = stack.http;
  const admin = stack.admin;
  const run = crypto.randomUUID().slice(0, 6).toUpperCase();

  // ---- catalog: 18 ordinary SKUs, 12 variant SKUs of four sized products and one hot SKU
  // with little stock, each split over main and a second warehouse (40% there), so orders are
  // allocated to, and split over, both ----
  const east = "rel-east";
  const made = await http.post("/admin/warehouses", {
    token: admin.token,
    json: { code: east, name: "Reliability east", country: "US", priority: 200 },
  });
  assert.ok(made.status === 201 || made.status === 409, made.text); // 409: an earlier run's
  const initial = new Map<string, number>(); // by levelLabel(sku, warehouse)
  const skus: string[] = [];
  const create = async (sku: string, stock: number) => {
    await createProduct(http, admin.token, sku, stock, {
      description: "A product for the conservation test.",
      priceCents: 100 + random(50_000),
    });
    const there = Math.floor(stock * 0.4);
    for (const json of [{ warehouse: "main", delta: -there }, { warehouse: east, stock: there }]) {
      const moved = await http.send("PATCH", `/admin/inventory/${sku}`, {
        token: admin.token,
        json,
      });
      assert.equal(moved.status, 200, moved.text);
    }
    initial.set(levelLabel(sku, "main"), stock - there);
    initial.set(levelLabel(sku, east), there);
  };
  for (let i = 0; i < 18; i++) {
    const sku = `REL-${run}-${String(i).padStart(2, "0")}`;
    skus.push(sku);
    await create(sku, 200);
  }
  // Four products sold in sizes (variants written through the API, each with its own price
  // and its stock given per warehouse): orders, payments, cancels, expiries and refunds run on
  // variant SKUs as on the others, and the ledger checks each variant's (SKU, warehouse) rows.
  for (let i = 0; i < 4; i++) {
    const product = `REL-${run}-V${i}`;
    const sizes = ["S", "M", "L"];
    const stock = 120;
    const there = Math.floor(stock * 0.4);
    await createProduct(http, admin.token, product, 0, {
      description: "A product sold in sizes for the conservation test.",
      priceCents: 1_000 + random(20_000),
      variants: sizes.map((size, n) => ({
        sku: `${product}-${size}`,
        label: `Size ${size}`,
        attrs: { size },
        priceAdjustmentCents: n * 150,
        stock: { main: stock - there, [east]: there }, // units per warehouse code
      })),
    });
    for (const size of sizes) {
      const sku = `${product}-${size}`;
      skus.push(sku);
      initial.set(levelLabel(sku, "main"), stock - there);
      initial.set(levelLabel(sku, east), there);
    }
  }
  const hot = `REL-${run}-HOT`;
  await create(hot, 30);
  const late = `REL-${run}-LATE`;
  await create(late, 100);

  const started = performance.now();
  const clients = await Promise.all(
    Array.from(
      { length: options.clients },
      async (_, i) => new Client(`c${i}`, http, await register(http, `conservation-${i}`), started),
    ),
  );
  const lateClient = new Client("late", http, await register(http, "late-payer"), started);

  // ---- orders whose payment will arrive at their expiry instant ----
  const lateOrders: { id: string; expiresAt: number; offsetMs: number }[] = [];
  for (let i = 0; i < 8; i++) {
    const reply = await lateClient.idempotent("place", "/orders", {
      ...stack.delivery,
      items: [{ sku: late, qty: 1 }],
    }, crypto.randomUUID());
    assert.equal(reply?.status, 201, reply?.text);
    lateOrders.push({
      id: reply!.body.id,
      expiresAt: Date.parse(reply!.body.expiresAt),
      offsetMs: -400 + i * 250, // from 0.4 s before to 1.35 s after the expiry instant
    });
  }
  const latePays = lateOrders.map(async (o) => {
    await delay(Math.max(0, o.expiresAt + o.offsetMs - Date.now()));
    return await lateClient.idempotent(
      "late-pay",
      "/payments",
      {
        orderId: o.id,
        provider: "test",
        paymentToken: "tok_visa",
      },
      crypto.randomUUID(),
      3,
    );
  });

  // ---- the workload ----
  const deadline = performance.now() + options.durationMs;
  const paidOrders: string[] = [];
  const shipped: string[] = [];

  const customer = async (c: Client) => {
    while (performance.now() < deadline) {
      const lines = new Map<string, number>();
      if (Math.random() < 0.3) lines.set(hot, 1 + random(2));
      for (let n = 1 + random(3); n > 0; n--) lines.set(pick(skus), 1 + random(3));
      const body = { ...stack.delivery, items: [...lines].map(([sku, qty]) => ({ sku, qty })) };
      const key = crypto.randomUUID();
      const placed = await c.idempotent("place", "/orders", body, key);
      if (placed?.status !== 201) {
        await delay(10);
        continue;
      }
      const orderId: string = placed.body.id;
      if (Math.random() < 0.1) await c.idempotent("place-replay", "/orders", body, key);

      const pay = (token: string) =>
        c.idempotent("pay", "/payments", {
          orderId,
          provider: "test",
          paymentToken: token,
        }, crypto.randomUUID());
      const r = Math.random();
      if (r < 0.45) {
        const paid = await pay("tok_visa");
        if (paid?.status === 201) paidOrders.push(orderId);
      } else if (r < 0.55) {
        // The same payment twice at once: one charge, identical replies or 409 in flight.
        const key2 = crypto.randomUUID();
        const json = { orderId, provider: "test", paymentToken: "tok_visa" };
        const both = await Promise.all([
          c.idempotent("pay-dup", "/payments", json, key2),
          c.idempotent("pay-dup", "/payments", json, key2),
        ]);
        if (both.some((b) => b?.status === 201)) paidOrders.push(orderId);
      } else if (r < 0.65) {
        await pay("tok_declined");
        const paid = await pay("tok_visa");
        if (paid?.status === 201) paidOrders.push(orderId);
      } else if (r < 0.7) {
        await pay("tok_error");
        await c.once("cancel", "POST", `/orders/${orderId}/cancel`, undefined, null);
      } else if (r < 0.85) {
        await c.once("cancel", "POST", `/orders/${orderId}/cancel`, undefined, null);
        if (Math.random() < 0.3) await pay("tok_visa"); // paying a cancelled order: 409
      } // else: left pending, to expire or to stay reserved
    }
  };

  const adminClient = new Client("admin", http, admin, started);
  const operator = async () => {
    while (performance.now() < deadline) {
      await delay(150 + random(200));
      const r = Math.random();
      if (r < 0.5 && paidOrders.length > 0) {
        const id = paidOrders.splice(random(paidOrders.length), 1)[0];
        const reply = await adminClient.once(
          "ship",
          "POST",
          `/admin/orders/${id}/ship`,
          undefined,
          null,
        );
        if (reply?.status === 200) shipped.push(id);
      } else if (r < 0.8 && shipped.length > 0) {
        const id = shipped.splice(random(shipped.length), 1)[0];
        await adminClient.once("deliver", "POST", `/admin/orders/${id}/deliver`, undefined, null);
      } else if (paidOrders.length > 0) {
        const id = paidOrders.splice(random(paidOrders.length), 1)[0];
        await adminClient.once("refund", "POST", `/admin/orders/${id}/refund`, undefined, null);
      }
    }
  };

  // Never negative, sampled while everything runs (failures while PostgreSQL is down ignored).
  const negatives: string[] = [];
  let samples = 0;
  const sampler = async () => {
    const all = [...new Set([...initial.keys()].map((k) => k.split("@")[0]))];
    while (performance.now() < deadline) {
      try {
        const [row] = await stack.sql`
          SELECT min(stock) AS stock, min(reserved) AS reserved, min(stock - reserved) AS avail
          FROM stock_levels WHERE sku = ANY(${all})`;
        samples++;
        if (row.stock < 0 || row.reserved < 0 || row.avail < 0) negatives.push(JSON.stringify(row));
      } catch {
        // PostgreSQL is down right now
      }
      try {
        const reply = await http.get(`/products/${hot}`, { timeoutMs: 5_000 });
        if (reply.status === 200) {
          samples++;
          const available = reply.body.availability.available;
          if (available < 0 || available > 30) {
            negatives.push(`GET /products/${hot}: available ${available}`);
          }
        }
      } catch {
        // the API is restarting
      }
      await delay(200);
    }
  };

  // Faults, in order, while the clients run.
  const faults: { at: number; name: string; inject: () => Promise<void> }[] = [
    {
      at: 5_000,
      name: "Redis stopped for 4 s during checkout",
      inject: async () => {
        await stack.redis.stop();
        await delay(4_000);
        await stack.redis.start();
      },
    },
    {
      at: 13_000,
      name: "PostgreSQL fast shutdown for 3 s during checkout",
      inject: async () => {
        await stack.pg.stop();
        await delay(3_000);
        await stack.pg.start();
      },
    },
    {
      at: 21_000,
      name: "sync worker SIGKILLed and restarted during checkout",
      inject: async () => {
        await stack.worker.kill();
        await delay(2_000);
        await stack.worker.start();
      },
    },
    {
      at: 27_000,
      name: "PostgreSQL crashed (SIGKILL of every backend) during checkout",
      inject: async () => {
        await stack.pg.kill();
        await delay(2_000);
        await stack.pg.start();
      },
    },
    {
      at: 35_000,
      name: "API SIGKILLed mid-request and restarted",
      inject: async () => {
        await stack.api.kill();
        await stack.api.start();
      },
    },
  ];
  const injected: string[] = [];
  const faulter = async () => {
    for (const fault of faults) {
      const wait = started + fault.at - performance.now();
      if (wait > 0) await delay(wait);
      if (performance.now() > deadline) break;
      await fault.inject();
      injected.push(fault.name);
    }
  };

  try {
    await Promise.all([
      ...clients.map(customer),
      operator(),
      sampler(),
      faulter(),
    ]);
  } finally {
    // Whatever failed above, leave every server running for the checks and the next steps.
    for (const server of [stack.redis, stack.pg, stack.worker, stack.api]) {
      if (!server.running) await server.start();
    }
  }
  const lateReplies = await Promise.all(latePays);
  await stack.waitReady();

  // ---- checks ----
  const userIds = [...clients.map((c) => c.account.id), lateClient.account.id];
  const problems: string[] = [];

  problems.push(...conservationViolations(await ledger(stack.sql, initial), initial));
  problems.push(...negatives.map((n) => `negative level sampled: ${n}`));
  // Every outage answers at once (503, refused connection): nothing waits out a client timeout.
  const hung = log.filter((o) => o.ms > 5_000);
  problems.push(...hung.slice(0, 10).map((o) => `${o.kind} at ${o.at} ms hung ${o.ms} ms`));
  const orders = await orderViolations(stack.sql, userIds);
  problems.push(...orders.violations);

  // Acknowledged orders exist; every key has at most one order, and identical replies.
  const dbOrders = await stack.sql`
    SELECT id, user_id, status FROM orders WHERE user_id = ANY(${userIds})`;
  const byId = new Map(dbOrders.map((o) => [String(o.id), o]));
  const perKey = new Map<string, Operation[]>();
  for (const op of log) {
    if (op.key === null) continue;
    const list = perKey.get(`${op.client} ${op.key}`) ?? [];
    list.push(op);
    perKey.set(`${op.client} ${op.key}`, list);
  }
  const accountOf = new Map([...clients, lateClient].map((c) => [c.name, c.account.id]));
  const okOrderIds = new Set<string>();
  let unknownPlaceKeys = 0;
  const unknownByUser = new Map<string, number>();
  for (const [scope, ops] of perKey) {
    const okTexts = new Set(ops.filter((o) => o.outcome === "ok").map((o) => o.text));
    if (okTexts.size > 1) problems.push(`key ${scope}: ${okTexts.size} different 2xx replies`);
    const place = ops[0].kind.startsWith("place");
    if (!place) continue;
    const userId = accountOf.get(ops[0].client)!;
    const ok = ops.find((o) => o.outcome === "ok");
    if (ok?.orderId) {
      okOrderIds.add(ok.orderId);
      const row = byId.get(ok.orderId);
      if (!row) problems.push(`acknowledged order ${ok.orderId} is missing`);
      else if (row.user_id !== userId) problems.push(`order ${ok.orderId} has another owner`);
    } else if (!ops.some((o) => o.outcome === "failed")) {
      unknownPlaceKeys++;
      unknownByUser.set(userId, (unknownByUser.get(userId) ?? 0) + 1);
    }
  }
  // Orders nobody was told about can only come from keys whose outcome stayed unknown.
  for (const userId of userIds) {
    const extra = dbOrders.filter((o) => o.user_id === userId && !okOrderIds.has(String(o.id)));
    const allowed = unknownByUser.get(userId) ?? 0;
    if (extra.length > allowed) {
      problems.push(
        `user ${userId}: ${extra.length} unacknowledged orders, ${allowed} unknown keys`,
      );
    }
  }

  // Acknowledged payments exist and confirmed their order.
  const okPayments = log.filter((o) => o.kind.includes("pay") && o.outcome === "ok");
  const paymentIds = [...new Set(okPayments.map((o) => JSON.parse(o.text).payment.id as string))];
  const storedPayments = await stack.sql`
    SELECT p.id, p.status, o.status AS order_status FROM payments p JOIN orders o ON o.id = p.order_id
    WHERE p.id = ANY(${paymentIds})`;
  const storedById = new Map(storedPayments.map((p) => [String(p.id), p]));
  for (const id of paymentIds) {
    const p = storedById.get(id);
    if (!p) problems.push(`acknowledged payment ${id} is missing`);
    else if (!["succeeded", "refunded"].includes(p.status)) {
      problems.push(`acknowledged payment ${id} is ${p.status}`);
    }
  }

  // Late payments: the reply and the stored order agree, whoever won.
  const lateTally = { paid: 0, expired: 0, unknown: 0 };
  for (const [i, reply] of lateReplies.entries()) {
    const order = byId.get(lateOrders[i].id);
    if (reply?.status === 201) {
      lateTally.paid++;
      if (order?.status !== "confirmed") {
        problems.push(
          `late payment acknowledged but order ${lateOrders[i].id} is ${order?.status}`,
        );
      }
    } else if (reply?.status === 409) {
      lateTally.expired++;
      if (order?.status !== "cancelled") {
        problems.push(`late payment refused but order ${lateOrders[i].id} is ${order?.status}`);
      }
    } else {
      lateTally.unknown++;
    }
  }

  const [stuck] = await stack.sql`
    SELECT count(*) AS n FROM idempotency_keys
    WHERE state = 'in_flight' AND user_id = ANY(${userIds})`;

  // ---- recovery: every key whose outcome stayed unknown gets a definite answer ----
  // A request killed with the API (or cut off from PostgreSQL) holds its key until the lease
  // ends; retried after it, the key must answer 2xx or 4xx, an order placed by the dead
  // request must be the one answered, and afterwards no order of these users is unacknowledged.
  const unresolved = [...perKey].filter(([, ops]) =>
    !ops.some((o) => o.outcome === "ok" || o.outcome === "failed")
  ).map(([scope]) => keyed.get(scope)!);
  const lastFaultAt = started + Math.max(...faults.map((f) => f.at));
  await delay(Math.max(0, lastFaultAt + IDEMPOTENCY_LEASE_MS + 2_000 - performance.now()));
  const recoveryStarted = Date.now();
  let foundEarlier = 0;
  for (const request of unresolved) {
    const { client, kind, path, json, key } = request;
    const reply = await client.idempotent(`${kind}-recover`, path, json, key);
    const outcome = classify(reply);
    if (outcome === "unknown") {
      problems.push(`key ${client.name} ${key} (${kind}) still unknown after the lease`);
      continue;
    }
    if (outcome !== "ok" || !kind.includes("place")) continue;
    okOrderIds.add(reply!.body.id);
    if (Date.parse(reply!.body.createdAt) < recoveryStarted) foundEarlier++;
  }
  const afterRecovery = await stack.sql`
    SELECT id, user_id FROM orders WHERE user_id = ANY(${userIds})`;
  const unacknowledged = afterRecovery.filter((o) => !okOrderIds.has(String(o.id)));
  problems.push(...unacknowledged.slice(0, 5).map((o) => `order ${o.id} was never answered`));
  problems.push(...conservationViolations(await ledger(stack.sql, initial), initial));
  const [stuckAfter] = await stack.sql`
    SELECT count(*) AS n FROM idempotency_keys
    WHERE state = 'in_flight' AND user_id = ANY(${userIds})`;
  if (Number(stuckAfter.n) > 0) problems.push(`${stuckAfter.n} keys still in flight`);

  await Deno.writeTextFile(
    `${stack.api.logFile.replace(/[^/]+$/, "")}conservation-operations.ndjson`,
    log.map((o) => JSON.stringify(o)).join("\n") + "\n",
  );
  const outcomes = { ok: 0, failed: 0, unknown: 0 };
  for (const op of log) outcomes[op.outcome]++;
  for (const name of injected) figures.fault(name, problems.length === 0);
  figures.checked("conservation: logged operations (ok/failed/unknown)", log.length);
  figures.checked("conservation: level samples (never negative)", samples);
  figures.note(
    `conservation: ${log.length} operations (${outcomes.ok} ok, ${outcomes.failed} failed, ` +
      `${outcomes.unknown} unknown), ${orders.orders} orders, ${initial.size} ` +
      `(SKU, warehouse) rows balanced across main and rel-east, ${unknownPlaceKeys} order keys left unknown, ${
        Number(stuck.n)
      } keys stuck in flight`,
  );
  figures.note(
    `idempotency recovery after the ${IDEMPOTENCY_LEASE_MS / 1000} s lease: ` +
      `${unresolved.length} unknown keys retried, all answered; ${foundEarlier} answered an ` +
      `order a dead request had placed; ${afterRecovery.length} orders, all acknowledged`,
  );
  figures.checked("conservation: unknown keys retried after the lease", unresolved.length);
  figures.note(
    `late payments at the expiry instant: ${lateTally.paid} paid, ${lateTally.expired} expired` +
      (lateTally.unknown ? `, ${lateTally.unknown} unknown` : ""),
  );

  assert.equal(injected.length, faults.length, "every planned fault was injected");
  assert.deepEqual(problems, [], "conservation violated");
  return {
    operations: log.length,
    outcomes,
    stuckKeys: Number(stuck.n),
    latePayments: lateTally,
  };
}
