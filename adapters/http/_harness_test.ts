/**
 * Test harness (no tests here): the whole API on memory ports with a fixed clock, fast
 * password hashing and the scripted payment gateway, plus small request helpers.
 */
import assert from "node:assert/strict";
import { bindUseCases, type Settings, type UseCases } from "../../application/use_cases.ts";
import { ScryptPasswordHasher } from "../crypto/scrypt_password_hasher.ts";
import { FixedClock, SequentialIds } from "../memory/fixed_clock.ts";
import { type MemoryPorts, memoryPorts } from "../memory/memory_ports.ts";
import { TestPaymentGateway } from "../payments/test_gateway.ts";
import type { LogFields, Logger } from "../../ports/logger.ts";
import { type AppOptions, buildApp } from "./app.ts";
import { createTestCategories } from "../../testing/core.ts";

export const START = new Date("2025-03-03T10:00:00.000Z");

export interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly fields?: LogFields;
}

export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  info(message: string, fields?: LogFields): void {
    this.entries.push({ level: "info", message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.entries.push({ level: "warn", message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.entries.push({ level: "error", message, fields });
  }
}

export interface HarnessOptions extends AppOptions {
  readonly seed?: boolean;
  readonly settings?: Partial<Settings>;
  /** Adds or replaces ports (another payment provider, its webhooks). */
  readonly ports?: (ports: MemoryPorts["ports"]) => Partial<MemoryPorts["ports"]>;
  /** Replaces use cases (to inject failures). */
  readonly override?: (useCases: UseCases) => UseCases;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
  readonly text: string;
}

export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: BodyInit;
  readonly headers?: Record<string, string>;
}

export type Harness = Awaited<ReturnType<typeof harness>>;

/** What `Harness.delivery()` answers: a US address (untaxed) and a free option serving it. */
export const TEST_DELIVERY = {
  shippingAddress: {
    name: "Ada Lovelace",
    line1: "1 Analytical Way",
    city: "Springfield",
    postalCode: "12345",
    country: "US",
  },
  shippingOptionId: "ship-test-free",
} as const;

export const ADMIN = { email: "admin@polycart.test", password: "admin-password" };

export async function harness(options: HarnessOptions = {}) {
  const clock = new FixedClock(START);
  const logger = new MemoryLogger();
  const gateway = new TestPaymentGateway();
  const memory: MemoryPorts = await memoryPorts({
    clock,
    ids: new SequentialIds(),
    logger,
    hasher: new ScryptPasswordHasher({ cost: 1024 }),
    gateways: [gateway],
    seed: options.seed ?? true,
  });
  await createTestCategories(memory.ports.categories, clock.now());
  await memory.syncAll();
  const settings: Settings = {
    orderTtlMs: 15 * 60_000,
    maxPendingOrdersPerUser: 3,
    sessionTtlMs: 24 * 3_600_000,
    rateLimit: { limit: 100_000, windowMs: 60_000 },
    loginRateLimit: { limit: 1_000, windowMs: 300_000 },
    ...options.settings,
  };
  const ports = { ...memory.ports, ...options.ports?.(memory.ports) };
  const bound = bindUseCases(ports, settings);
  const useCases = options.override ? options.override(bound) : bound;
  const app = buildApp(useCases, options);

  async function call(method: string, path: string, init: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    let body: BodyInit | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return {
      status: res.status,
      headers: res.headers,
      body: type.includes("json") && text ? JSON.parse(text) : text,
      text,
    };
  }

  let users = 0;
  async function register(email = `user${++users}@polycart.test`): Promise<
    { token: string; userId: string; email: string }
  > {
    const res = await call("POST", "/auth/register", {
      body: { email, password: "correct horse battery", displayName: email.split("@")[0] },
    });
    assert.equal(res.status, 201, res.text);
    return { token: res.body.token, userId: res.body.user.id, email };
  }

  async function admin(): Promise<string> {
    await useCases.ensureAdmin(ADMIN);
    const res = await call("POST", "/auth/login", { body: ADMIN });
    assert.equal(res.status, 200, res.text);
    return res.body.token;
  }

  async function inventoryOf(sku: string) {
    const item = await memory.ports.inventory.get(sku);
    assert.ok(item, `no inventory for ${sku}`);
    return { stock: item.stock, reserved: item.reserved, available: item.stock - item.reserved };
  }

  /** A product of our own, with known price and stock, indexed for search. */
  async function product(
    sku: string,
    input: { stock: number; priceCents?: number; name?: string; category?: string } = {
      stock: 10,
    },
  ) {
    const view = await useCases.createProduct({
      sku,
      name: input.name ?? `Test product ${sku}`,
      category: input.category ?? "testing",
      brand: "Polycart",
      description: `A product made by the tests: ${sku}.`,
      images: [`https://img.polycart.example/${sku}.jpg`],
      attrs: {},
      variants: [],
      tags: ["test"],
      priceCents: input.priceCents ?? 1_250,
      stock: input.stock,
    });
    await memory.syncAll();
    return view;
  }

  let terms: typeof TEST_DELIVERY | undefined;
  /**
   * Delivery terms every order needs: a free option of a zone of our own (fixed ids, so no
   * generated id shifts) to a US address, where no tax applies. Merge into POST /orders bodies.
   */
  async function delivery(): Promise<typeof TEST_DELIVERY> {
    if (!terms) {
      await memory.ports.shipping.createZone({ id: "zone-test", name: "Tests", countries: ["US"] });
      await memory.ports.shipping.createOption({
        id: TEST_DELIVERY.shippingOptionId,
        zoneId: "zone-test",
        name: "Test shipping",
        priceCents: 0,
        currency: "USD",
        freeOverCents: null,
        estimatedDays: { min: 1, max: 3 },
      });
      terms = TEST_DELIVERY;
    }
    return terms;
  }

  return {
    app,
    useCases,
    delivery,
    memory,
    clock,
    logger,
    gateway,
    call,
    register,
    admin,
    inventoryOf,
    product,
  };
}

/** Asserts an RFC 9457 problem with the status and problem code. */
export function assertProblem(res: Reply, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(res.body.type, `/docs#problem-${code}`);
  assert.equal(typeof res.body.title, "string");
  assert.equal(typeof res.body.detail, "string");
  assert.equal(typeof res.body.instance, "string");
}

/** The field paths a validation problem names. */
export function invalidFields(res: Reply): string[] {
  assertProblem(res, 400, "validation_failed");
  return res.body.errors.map((e: { path: string }) => e.path);
}
