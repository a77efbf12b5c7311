/**
 * PostgreSQL: identity, money, stock, idempotency, the outbox and sync checkpoints, with the
 * memory stand-ins when DATABASE_URL is unset. Its feeds come first: the inventory outbox (or
 * change log), then the orders feed the support order index reads.
 */
import type { Config } from "../config.ts";
import type { Ports } from "../application/use_cases.ts";
import type { Clock } from "../ports/clock.ts";
import type { Logger } from "../ports/logger.ts";
import { MemoryChangeLog } from "../adapters/memory/change_feed.ts";
import { MemoryIdempotencyStore } from "../adapters/memory/idempotency_store.ts";
import { MemoryInventoryStore } from "../adapters/memory/inventory_store.ts";
import { MemoryJobLog, MemoryLeases } from "../adapters/memory/leases.ts";
import { MemoryHousekeeping } from "../adapters/memory/housekeeping.ts";
import { MemoryOrderStore } from "../adapters/memory/order_store.ts";
import { MemorySyncStateStore } from "../adapters/memory/sync_state_store.ts";
import { MemorySessionStore, MemoryUserStore } from "../adapters/memory/users.ts";
import { MemoryAddressBook } from "../adapters/memory/address_book.ts";
import { MemoryShippingRates } from "../adapters/memory/shipping_rates.ts";
import { MemoryTaxRates } from "../adapters/memory/tax_rates.ts";
import { MemoryProcessedEvents } from "../adapters/memory/processed_events.ts";
import { MemoryRefundedCharges } from "../adapters/memory/refunded_charges.ts";
import { MemoryCustomerDirectory, MemoryOrderRecords } from "../adapters/memory/order_records.ts";
import { connectPostgres, PostgresHealthCheck } from "../adapters/postgres/connect.ts";
import { PostgresIdempotencyStore } from "../adapters/postgres/idempotency_store.ts";
import { PostgresJobLog, PostgresLeases } from "../adapters/postgres/leases.ts";
import { PostgresHousekeeping } from "../adapters/postgres/housekeeping.ts";
import { PostgresInventoryStore } from "../adapters/postgres/inventory_store.ts";
import { PostgresOrderStore } from "../adapters/postgres/order_store.ts";
import { PostgresOutboxFeed } from "../adapters/postgres/outbox_feed.ts";
import { PostgresSyncStateStore } from "../adapters/postgres/sync_state_store.ts";
import { PostgresSessionStore, PostgresUserStore } from "../adapters/postgres/users.ts";
import { PostgresAddressBook } from "../adapters/postgres/address_book.ts";
import { PostgresShippingRates } from "../adapters/postgres/shipping_rates.ts";
import { PostgresTaxRates } from "../adapters/postgres/tax_rates.ts";
import { PostgresProcessedEvents } from "../adapters/postgres/processed_events.ts";
import { PostgresRefundedCharges } from "../adapters/postgres/refunded_charges.ts";
import {
  PostgresCustomerDirectory,
  PostgresOrderRecords,
} from "../adapters/postgres/order_records.ts";
import { migrate } from "../migrations/migrate.ts";
import type { Contribution } from "./contribution.ts";

/** The ports PostgreSQL (or its stand-in) serves. */
export type PostgresPorts = Pick<
  Ports,
  | "users"
  | "sessions"
  | "addresses"
  | "shipping"
  | "taxRates"
  | "inventory"
  | "warehouses"
  | "orders"
  | "revenue"
  | "idempotency"
  | "syncState"
  | "processedEvents"
  | "refundedCharges"
  | "leases"
  | "jobs"
  | "housekeeping"
  | "orderRecords"
  | "customers"
>;

export async function postgresWiring(
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<Contribution<PostgresPorts>> {
  if (!config.DATABASE_URL) return memoryStandIn(clock);
  const sql = connectPostgres({
    url: config.DATABASE_URL,
    poolSize: config.PG_POOL_SIZE,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    ssl: config.PG_SSL,
    searchPath: config.PG_SCHEMA,
  });
  const closers = [() => sql.end({ timeout: 5 })];
  if (config.MIGRATE_ON_START) {
    const result = await migrate(sql, (message) => logger.info(message));
    logger.info("migrations", { applied: result.applied, skipped: result.skipped.length });
  }
  const orders = new PostgresOrderStore(sql);
  const inventory = new PostgresInventoryStore(sql);
  const outbox = new PostgresOutboxFeed(sql, { name: "inventory" });
  // The support order index reads the outbox's order rows as a feed of its own.
  const orderFeed = new PostgresOutboxFeed(sql, { name: "orders", sources: ["order"] });
  const ports = {
    users: new PostgresUserStore(sql),
    sessions: new PostgresSessionStore(sql),
    addresses: new PostgresAddressBook(sql),
    shipping: new PostgresShippingRates(sql),
    taxRates: new PostgresTaxRates(sql),
    inventory,
    warehouses: inventory,
    orders,
    revenue: orders,
    idempotency: new PostgresIdempotencyStore(sql),
    syncState: new PostgresSyncStateStore(sql),
    processedEvents: new PostgresProcessedEvents(sql),
    refundedCharges: new PostgresRefundedCharges(sql),
    leases: new PostgresLeases(sql),
    jobs: new PostgresJobLog(sql),
    housekeeping: new PostgresHousekeeping(sql, { outboxConsumers: [outbox, orderFeed] }),
    orderRecords: new PostgresOrderRecords(sql),
    customers: new PostgresCustomerDirectory(sql),
  };
  return {
    ports,
    feeds: [outbox, orderFeed],
    health: [new PostgresHealthCheck(sql)],
    closers,
    adapters: {
      postgres: "users, sessions, addresses, shipping, tax, inventory, warehouses, orders, " +
        "payments, idempotency, sync state, leases, jobs",
    },
  };
}

function memoryStandIn(clock: Clock): Contribution<PostgresPorts> {
  const log = new MemoryChangeLog("inventory");
  const orderLog = new MemoryChangeLog("orders");
  const inventory = new MemoryInventoryStore({ log });
  const orders = new MemoryOrderStore({ inventory, log: orderLog });
  const users = new MemoryUserStore({
    changes: log,
    renamed: (id, at) => orders.customerChangedSync(id, at),
  });
  const sessions = new MemorySessionStore(users);
  const idempotency = new MemoryIdempotencyStore();
  const syncState = new MemorySyncStateStore();
  const ports = {
    users,
    sessions,
    addresses: new MemoryAddressBook(),
    shipping: new MemoryShippingRates(),
    taxRates: new MemoryTaxRates(),
    inventory,
    warehouses: inventory,
    orders,
    revenue: orders,
    idempotency,
    syncState,
    processedEvents: new MemoryProcessedEvents(),
    refundedCharges: new MemoryRefundedCharges(),
    leases: new MemoryLeases(clock),
    jobs: new MemoryJobLog(),
    housekeeping: new MemoryHousekeeping({
      idempotency,
      sessions,
      syncState,
      logs: [log, orderLog],
    }),
    orderRecords: new MemoryOrderRecords(orders, users),
    customers: new MemoryCustomerDirectory(users),
  };
  return {
    ports,
    feeds: [log, orderLog],
    health: [],
    closers: [],
    adapters: {
      memory: "users, sessions, addresses, shipping, tax, inventory, orders, payments, " +
        "idempotency, sync state",
    },
  };
}
