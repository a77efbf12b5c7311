/**
 * Stripe's idempotency contract on the real stack: the same key and body, sequential or
 * concurrent, has one side effect and identical replies; a duplicate that arrives while the
 * first is still running is 409; another body under the key is 422; keys expire after 24
 * hours (that part on the use case with a fixed clock, against the real PostgreSQL store).
 */
import assert from "node:assert/strict";
import {
  fingerprintOf,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotentRun,
  runIdempotent,
} from "../application/idempotency.ts";
import { placeOrder } from "../application/ordering/place_order.ts";
import { IdempotencyInFlight, IdempotencyKeyMismatch } from "../domain/errors.ts";
import { MemoryCartStore } from "../adapters/memory/carts.ts";
import { FixedClock } from "../adapters/memory/fixed_clock.ts";
import { RandomIds } from "../adapters/system/ids.ts";
import { connectPostgres } from "../adapters/postgres/connect.ts";
import { PostgresIdempotencyStore } from "../adapters/postgres/idempotency_store.ts";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import { PostgresAddressBook } from "../adapters/postgres/address_book.ts";
import { PostgresShippingRates } from "../adapters/postgres/shipping_rates.ts";
import { PostgresTaxRates } from "../adapters/postgres/tax_rates.ts";
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
import { delay } from "./_servers.ts";
import type { Stack } from "./_stack.ts";

const REPLAYED = "idempotent-replayed";

function post(http: Http, user: Account, path: string, json: unknown, key: string) {
  return http.post(path, { token: user.token, json, headers: { "Idempotency-Key": key } });
}

async function ordersOf(stack: Stack, userId: string): Promise<number> {
  const [row] = await stack.sql`SELECT count(*) AS n FROM orders WHERE user_id = ${userId}`;
  return Number(row.n);
}

function sameReplies(replies: readonly Reply[], what: string): void {
  const texts = new Set(replies.map((r) => `${r.status} ${r.text}`));
  assert.equal(texts.size, 1, `${what}: replies differ: ${[...texts].join(" | ")}`);
}

export async function idempotencyOverHttp(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  const tag = uniqueTag();
  const sku = `IDM-${tag}`;
  await createProduct(http, stack.admin.token, sku, 1_000);
  let checked = 0;

  // Sequential: one order, the same reply each time, marked as a replay.
  {
    const user = await register(http, "idem-seq");
    const key = crypto.randomUUID();
    const body = { ...stack.delivery, items: [{ sku, qty: 2 }] };
    const first = await post(http, user, "/orders", body, key);
    expectStatus(first, 201, "first request");
    assert.equal(first.headers.get(REPLAYED), null);
    const again: Reply[] = [];
    for (let i = 0; i < 5; i++) again.push(await post(http, user, "/orders", body, key));
    sameReplies([first, ...again], "sequential replays");
    assert.ok(again.every((r) => r.headers.get(REPLAYED) === "true"));
    assert.equal(await ordersOf(stack, user.id), 1, "one order for six requests");
    // Another body under the key is 422; another route under the key too.
    const other = await post(
      http,
      user,
      "/orders",
      { ...stack.delivery, items: [{ sku, qty: 3 }] },
      key,
    );
    assert.ok(isProblem(other, 422, "idempotency_key_mismatch"), other.text);
    const elsewhere = await post(http, user, "/payments", {
      orderId: first.body.id,
      provider: "test",
      paymentToken: "tok_visa",
    }, key);
    assert.ok(isProblem(elsewhere, 422, "idempotency_key_mismatch"), elsewhere.text);
    // Keys are per user: another user's identical request is its own order.
    const stranger = await register(http, "idem-stranger");
    const theirs = await post(http, stranger, "/orders", body, key);
    expectStatus(theirs, 201, "same key, other user");
    assert.notEqual(theirs.body.id, first.body.id);
    assert.equal(theirs.headers.get(REPLAYED), null);
    checked += 9;
  }

  // Concurrent: 25 at once; one order, every 201 identical, the rest 409 in flight.
  for (let round = 0; round < 3; round++) {
    const user = await register(http, `idem-conc-${round}`);
    const key = crypto.randomUUID();
    const body = { ...stack.delivery, items: [{ sku, qty: 1 }] };
    const replies = await Promise.all(
      Array.from({ length: 25 }, () => post(http, user, "/orders", body, key)),
    );
    const created = replies.filter((r) => r.status === 201);
    const inFlight = replies.filter((r) => isProblem(r, 409, "idempotency_in_flight"));
    assert.equal(
      created.length + inFlight.length,
      replies.length,
      replies.map((r) => r.status).join(),
    );
    assert.ok(created.length >= 1);
    sameReplies(created, "concurrent 201s");
    const later = await post(http, user, "/orders", body, key);
    sameReplies([created[0], later], "replay after the burst");
    assert.equal(await ordersOf(stack, user.id), 1, "one order for 26 requests");
    checked += replies.length + 1;

    // Payments the same way: one charge, one payment row.
    const payBody = { orderId: created[0].body.id, provider: "test", paymentToken: "tok_visa" };
    const payKey = crypto.randomUUID();
    const payments = await Promise.all(
      Array.from({ length: 15 }, () => post(http, user, "/payments", payBody, payKey)),
    );
    const paid = payments.filter((r) => r.status === 201);
    assert.ok(paid.length >= 1);
    assert.ok(
      payments.every((r) => r.status === 201 || isProblem(r, 409, "idempotency_in_flight")),
      payments.map((r) => r.status).join(),
    );
    sameReplies(paid, "concurrent payment 201s");
    const [rows] = await stack.sql`
      SELECT count(*) AS n FROM payments WHERE order_id = ${created[0].body.id}`;
    assert.equal(Number(rows.n), 1, "one payment row");
    checked += payments.length;
  }

  // In flight, deterministically: hold the SKU's row lock so the first request waits inside
  // its transaction; the duplicate must be 409 meanwhile, and a replay once it finished.
  {
    const user = await register(http, "idem-inflight");
    const key = crypto.randomUUID();
    const body = { ...stack.delivery, items: [{ sku, qty: 1 }] };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = stack.sql.begin(async (tx) => {
      await tx`SELECT sku FROM inventory WHERE sku = ${sku} FOR UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    const first = post(http, user, "/orders", body, key);
    // Wait until the first has claimed the key (it then waits for the row lock).
    for (let i = 0; i < 100; i++) {
      const [row] = await stack.sql`
        SELECT state FROM idempotency_keys WHERE user_id = ${user.id} AND key = ${key}`;
      if (row?.state === "in_flight") break;
      await delay(50);
    }
    const duplicate = await post(http, user, "/orders", body, key);
    assert.ok(isProblem(duplicate, 409, "idempotency_in_flight"), duplicate.text);
    release();
    await holder;
    const original = await first;
    expectStatus(original, 201, "the original completes once the lock is gone");
    const replay = await post(http, user, "/orders", body, key);
    sameReplies([original, replay], "replay after in-flight");
    assert.equal(await ordersOf(stack, user.id), 1);
    checked += 3;
  }

  // Client errors are remembered too: a 409 for missing stock replays as 409, even once
  // there is stock again (the key names that request, not a new one).
  {
    const user = await register(http, "idem-4xx");
    const scarce = `IDM-${tag}-SCARCE`;
    await createProduct(http, stack.admin.token, scarce, 1);
    const key = crypto.randomUUID();
    const body = { ...stack.delivery, items: [{ sku: scarce, qty: 5 }] };
    const refused = await post(http, user, "/orders", body, key);
    assert.ok(isProblem(refused, 409, "insufficient_stock"), refused.text);
    const restocked = await http.send("PATCH", `/admin/inventory/${scarce}`, {
      token: stack.admin.token,
      json: { stock: 10 },
    });
    expectStatus(restocked, 200, "restock");
    const replay = await post(http, user, "/orders", body, key);
    sameReplies([refused, replay], "a refused request replays its refusal");
    assert.equal(replay.headers.get(REPLAYED), "true");
    const fresh = await post(http, user, "/orders", body, crypto.randomUUID());
    expectStatus(fresh, 201, "a new key is a new request");
    checked += 4;
  }
  figures.checked("idempotency over HTTP", checked);
}

/** Expiry needs 24 hours: the use case, a fixed clock, and the real PostgreSQL store. */
export async function idempotencyExpiry(stack: Stack, figures: Figures): Promise<void> {
  const sql = connectPostgres({ url: stack.pg.url, poolSize: 2 });
  try {
    const deps = {
      idempotency: new PostgresIdempotencyStore(sql),
      clock: new FixedClock(new Date("2001-02-03T04:05:06.000Z")),
      ids: new RandomIds(),
    };
    const scope = {
      userId: `ttl-${crypto.randomUUID()}`,
      key: "order-1",
      fingerprint: await fingerprintOf("POST", "/orders", '{"items":[{"sku":"A","qty":1}]}'),
    };
    let effects = 0;
    const execute = () => {
      effects++;
      return Promise.resolve({ status: 201, body: { effect: effects } });
    };
    const first = await runIdempotent(deps, scope, execute);
    assert.deepEqual(first, { status: 201, body: { effect: 1 }, replayed: false });

    deps.clock.advance(IDEMPOTENCY_TTL_MS - 1);
    const replay = await runIdempotent(deps, scope, execute);
    assert.deepEqual(replay, { status: 201, body: { effect: 1 }, replayed: true });
    await assert.rejects(
      runIdempotent(deps, { ...scope, fingerprint: "other" }, execute),
      IdempotencyKeyMismatch,
    );
    assert.equal(effects, 1, "still one side effect a millisecond before expiry");

    deps.clock.advance(1);
    const boundary = await runIdempotent(deps, scope, execute);
    assert.equal(boundary.replayed, true, "a key lives 24 hours, its last millisecond included");
    deps.clock.advance(1);
    const expired = await runIdempotent(deps, scope, execute);
    assert.deepEqual(expired, { status: 201, body: { effect: 2 }, replayed: false });
    const replayAgain = await runIdempotent(deps, scope, execute);
    assert.deepEqual(replayAgain, { status: 201, body: { effect: 2 }, replayed: true });

    deps.clock.advance(IDEMPOTENCY_TTL_MS + 1);
    const reused = await runIdempotent(deps, { ...scope, fingerprint: "other" }, execute);
    assert.equal(reused.replayed, false, "an expired key may carry another request");
    assert.equal(effects, 3);
    figures.checked("idempotency expiry (fixed clock, real PostgreSQL)", 7);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A request that dies holding its key (the API killed after the order committed, before the
 * reply was stored): after the lease a retry takes the key over and answers the order the dead
 * attempt placed. The use case on the real PostgreSQL stores, with a fixed clock for the lease.
 */
export async function idempotencyRecovery(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  const sku = `IDR-${uniqueTag()}`;
  await createProduct(http, stack.admin.token, sku, 10);
  const user = await register(http, "idem-recovery");
  const sql = connectPostgres({ url: stack.pg.url, poolSize: 2 });
  try {
    const clock = new FixedClock(new Date());
    const deps = {
      idempotency: new PostgresIdempotencyStore(sql),
      orders: new PostgresOrderStore(sql),
      carts: new MemoryCartStore(clock),
      // Orders placed here carry no delivery terms; the ports are there for the type.
      addresses: new PostgresAddressBook(sql),
      shipping: new PostgresShippingRates(sql),
      taxRates: new PostgresTaxRates(sql),
      clock,
      ids: new RandomIds(),
      orderTtlMs: 15 * 60_000,
      maxPendingOrdersPerUser: 3,
    };
    const items = [{ sku, qty: 2 }];
    const scope = {
      userId: user.id,
      key: crypto.randomUUID(),
      fingerprint: await fingerprintOf("POST", "/orders", JSON.stringify({ items })),
    };
    const placeUnder = async (attempt: IdempotentRun) => ({
      status: 201,
      body: await placeOrder(deps, { userId: user.id, items, attempt }),
    });

    let placed: string | undefined;
    const died = Promise.withResolvers<never>();
    void runIdempotent(deps, scope, async (attempt) => {
      placed = (await placeUnder(attempt)).body.id;
      return await died.promise; // the process is gone: no reply, no release
    });
    while (placed === undefined) await delay(10);
    await assert.rejects(runIdempotent(deps, scope, placeUnder), IdempotencyInFlight);

    clock.advance(IDEMPOTENCY_LEASE_MS);
    const retry = await runIdempotent(deps, scope, placeUnder);
    assert.equal(retry.status, 201);
    assert.equal((retry.body as { id: string }).id, placed, "the retry answers the dead order");
    const replay = await runIdempotent(deps, scope, placeUnder);
    assert.equal(replay.replayed, true);
    assert.equal(JSON.stringify(replay.body), JSON.stringify(retry.body), "the same reply");
    assert.equal(await ordersOf(stack, user.id), 1, "one order for the key");
    const [level] = await stack.sql`
      SELECT sum(reserved) AS reserved FROM stock_levels WHERE sku = ${sku}`;
    assert.equal(Number(level.reserved), 2, "stock reserved once");
    figures.checked("idempotency recovery after a dead request (real PostgreSQL)", 5);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
