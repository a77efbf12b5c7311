/**
 * PostgreSQL failover under load, on a private primary and a synchronous streaming standby:
 * orders are placed and paid through `PostgresOrderStore` on a pool built from the multi-host
 * URL (`primary,standby` with `target_session_attrs=read-write`); the primary is SIGKILLed,
 * the standby promoted (`pg_ctl promote`), and the same pool finds the new primary by itself.
 *
 * Afterwards, on the new primary: every order whose placement was acknowledged exists, every
 * acknowledged payment confirmed it, no order holds two successful payments, and every SKU's
 * stock is conserved (initial = stock + units sold; reserved = units of pending orders).
 */
import assert from "node:assert/strict";
import { DependencyUnavailable } from "../domain/errors.ts";
import { newInventoryItem, type StockLine } from "../domain/inventory/stock.ts";
import { connectPostgres, type Sql } from "../adapters/postgres/connect.ts";
import { PostgresInventoryStore } from "../adapters/postgres/inventory_store.ts";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import { PostgresUserStore } from "../adapters/postgres/users.ts";
import { migrate } from "../migrations/migrate.ts";
import type { Figures } from "./_figures.ts";
import { AppProcess, delay, freePort, PostgresServer } from "./_servers.ts";

export interface FailoverOptions {
  /** Load before the kill, in ms. */
  readonly warmupMs?: number;
  /** Time between the kill and `pg_ctl promote` (failure detection, in production). */
  readonly detectionMs?: number;
  /** Load after the pool answers again, in ms. */
  readonly afterMs?: number;
  readonly clients?: number;
}

/** Starts a primary and a synchronous standby (`synchronous_standby_names` names it). */
export async function startPair(workDir: string, logDir: string) {
  const primaryPort = freePort(5442);
  const primary = new PostgresServer(`${workDir}/pg-primary`, primaryPort, logDir, {
    name: "pg_primary",
  });
  const standby = new PostgresServer(
    `${workDir}/pg-standby`,
    freePort(5443, new Set([primaryPort])),
    logDir,
    { name: "pg_standby", standbyOf: primary },
  );
  await primary.start();
  await primary.provision();
  await standby.start();
  await primary.waitStreaming(standby);
  // Synchronous: a COMMIT returns once the standby has flushed it, so an acknowledged order
  // survives the primary's loss. (Written after the base backup: the standby, once promoted,
  // does not wait for a standby it does not have.)
  await primary.psql("ALTER SYSTEM SET synchronous_standby_names = 'pg_standby'");
  await primary.psql("SELECT pg_reload_conf()");
  const deadline = Date.now() + 10_000;
  while (
    await primary.psql(
      "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'pg_standby'",
    ) !== "sync"
  ) {
    if (Date.now() > deadline) throw new Error("the standby never became synchronous");
    await delay(50);
  }
  const url = `postgres://polycart:polycart@127.0.0.1:${primary.port},127.0.0.1:${standby.port}` +
    "/polycart?target_session_attrs=read-write";
  return { primary, standby, url };
}

const SKUS = 12;
const INITIAL_STOCK = 100_000;

export async function postgresFailover(
  workDir: string,
  logDir: string,
  figures: Figures,
  options: FailoverOptions = {},
): Promise<{ unavailableMs: number; apiMs: number }> {
  const { primary, standby, url } = await startPair(workDir, logDir);
  const app = connectPostgres({ url, poolSize: 8, connectTimeoutS: 5 });
  let direct: Sql | null = null;
  // The API itself on the same multi-host URL (the other stores in memory): GET /ready runs a
  // query through its pool, so it says when the process reaches the new primary by itself.
  const api = new AppProcess("api-ha", "main.ts", {
    DATABASE_URL: url,
    PORT: String(freePort(18830)),
    MIGRATE_ON_START: "1",
    SYNC_IN_PROCESS: "0",
  }, logDir);
  try {
    await migrate(app);
    await api.start();
    const users = new PostgresUserStore(app);
    const inventory = new PostgresInventoryStore(app);
    const orders = new PostgresOrderStore(app);
    const userId = crypto.randomUUID();
    const t0 = new Date();
    await users.create({
      id: userId,
      email: `${userId}@failover.test`,
      displayName: null,
      role: "customer",
      createdAt: t0,
      passwordHash: "x",
    });
    const skus = Array.from({ length: SKUS }, (_, i) => `failover-${i}`);
    for (const sku of skus) {
      await inventory.create(newInventoryItem(
        { sku, name: sku, unitPriceCents: 100, currency: "USD", stock: INITIAL_STOCK },
        t0,
      ));
    }

    const placed = new Set<string>();
    const paid = new Set<string>();
    const unexpected: unknown[] = [];
    let unavailable = 0;
    let slowest = 0;
    let stop = false;
    let killedAt: number | null = null;
    let firstOkAfterKill: number | null = null;
    /** An operation that began after the kill succeeded: the database answers again. */
    const acknowledged = (startedAt: number) => {
      if (killedAt !== null && startedAt >= killedAt && firstOkAfterKill === null) {
        firstOkAfterKill = performance.now();
      }
    };
    const client = async () => {
      while (!stop) {
        const lines: StockLine[] = [
          { sku: skus[Math.floor(Math.random() * SKUS)], qty: 1 + Math.floor(Math.random() * 3) },
        ];
        const startedAt = performance.now();
        try {
          const now = new Date();
          const order = await orders.place({
            id: crypto.randomUUID(),
            userId,
            lines,
            createdAt: now,
            expiresAt: new Date(now.getTime() + 3_600_000),
            source: "items",
            maxPendingPerUser: 1_000_000,
          });
          placed.add(order.id);
          acknowledged(startedAt);
          slowest = Math.max(slowest, performance.now() - startedAt);
          if (Math.random() < 0.5) continue;
          const result = await orders.confirmPayment({
            id: crypto.randomUUID(),
            orderId: order.id,
            userId,
            status: "succeeded",
            amountCents: order.totalCents,
            currency: order.currency,
            provider: "test",
            providerRef: `ref-${order.id}`,
            failureReason: null,
            processedAt: new Date(),
          });
          if (result.kind === "confirmed") paid.add(order.id);
        } catch (error) {
          slowest = Math.max(slowest, performance.now() - startedAt);
          if (error instanceof DependencyUnavailable) {
            unavailable++;
            await delay(20);
          } else {
            unexpected.push(error);
          }
        }
      }
    };
    const clients = Array.from({ length: options.clients ?? 8 }, client);
    let apiReadyAgain: number | null = null;
    const readyProbe = async () => {
      while (!stop) {
        const startedAt = performance.now();
        try {
          const response = await fetch(`${api.url}/ready`, { signal: AbortSignal.timeout(5_000) });
          await response.body?.cancel();
          if (
            response.ok && killedAt !== null && startedAt >= killedAt && apiReadyAgain === null
          ) apiReadyAgain = performance.now();
        } catch {
          // the probe timed out: counted as not ready
        }
        await delay(25);
      }
    };
    const probe = readyProbe();

    await delay(options.warmupMs ?? 2_000);
    const placedBefore = placed.size;
    await primary.kill();
    killedAt = performance.now();
    await delay(options.detectionMs ?? 1_000);
    const promoteStarted = performance.now();
    await standby.promote();
    const promoteMs = performance.now() - promoteStarted;
    const deadline = performance.now() + 30_000;
    while (firstOkAfterKill === null && performance.now() < deadline) await delay(10);
    await delay(options.afterMs ?? 2_000);
    while (apiReadyAgain === null && performance.now() < deadline) await delay(10);
    stop = true;
    await Promise.all([...clients, probe]);

    assert.notEqual(firstOkAfterKill, null, "the pool never reached the promoted standby");
    assert.notEqual(apiReadyAgain, null, "the API never reached the promoted standby");
    assert.deepEqual(unexpected.map(String).slice(0, 5), [], "errors other than 503");
    assert.ok(placed.size > placedBefore, "orders were placed after the failover");
    // With no writable host the pool answers 503 promptly instead of holding requests.
    assert.ok(slowest < 5_000, `an order placement took ${Math.round(slowest)} ms`);

    // ---- the checks, on the new primary directly ----
    direct = connectPostgres({ url: standby.url, poolSize: 2 });
    const rows = await direct<{ id: string; status: string; payments: string }[]>`
      SELECT o.id, o.status,
        (SELECT count(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded')
          AS payments
      FROM orders o WHERE o.user_id = ${userId}`;
    const stored = new Map(rows.map((r) => [r.id, r]));
    const lost = [...placed].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} acknowledged orders lost`);
    const unpaid = [...paid].filter((id) => stored.get(id)?.status !== "confirmed");
    assert.deepEqual(unpaid, [], `${unpaid.length} acknowledged payments lost`);
    const twice = rows.filter((r) => Number(r.payments) > 1).map((r) => r.id);
    assert.deepEqual(twice, [], "orders confirmed twice");
    const levels = await direct<
      { sku: string; stock: number; reserved: number; sold: string; pending: string }[]
    >`
      SELECT i.sku, i.stock, i.reserved,
        coalesce(sum(oi.qty) FILTER (WHERE o.status = 'confirmed'), 0) AS sold,
        coalesce(sum(oi.qty) FILTER (WHERE o.status = 'pending'), 0) AS pending
      FROM (
        SELECT sku, sum(stock)::int AS stock, sum(reserved)::int AS reserved
        FROM stock_levels WHERE sku = ANY(${skus}) GROUP BY sku
      ) i
      LEFT JOIN order_items oi ON oi.sku = i.sku
      LEFT JOIN orders o ON o.id = oi.order_id
      GROUP BY i.sku, i.stock, i.reserved`;
    const broken = levels.filter((l) =>
      l.stock + Number(l.sold) !== INITIAL_STOCK || l.reserved !== Number(l.pending)
    );
    assert.deepEqual(broken, [], "stock not conserved");

    const unavailableMs = Math.round(firstOkAfterKill! - killedAt);
    const apiMs = Math.round(apiReadyAgain! - killedAt);
    figures.checked("orders acknowledged across a PostgreSQL failover", placed.size);
    figures.checked("payments acknowledged across a PostgreSQL failover", paid.size);
    figures.note(
      `PostgreSQL failover (SIGKILL primary, promote synchronous standby ${
        options.detectionMs ?? 1_000
      } ms later): pool answered again ${unavailableMs} ms after the kill ` +
        `(pg_ctl promote took ${Math.round(promoteMs)} ms), the API process ready again after ` +
        `${apiMs} ms; ${unavailable} operations got 503, ` +
        `the slowest placement took ${Math.round(slowest)} ms; ` +
        `${placed.size} orders and ${paid.size} payments acknowledged, none lost`,
    );
    return { unavailableMs, apiMs };
  } finally {
    await Promise.allSettled([app.end({ timeout: 2 }), direct?.end({ timeout: 2 })]);
    await Promise.allSettled([api.kill(), primary.kill(), standby.kill()]);
  }
}
