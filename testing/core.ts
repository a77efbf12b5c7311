/** The whole core on memory adapters with a fixed clock: what use-case and HTTP tests start from. */
import { bindUseCases, type Settings } from "../application/use_cases.ts";
import { ScryptPasswordHasher } from "../adapters/crypto/scrypt_password_hasher.ts";
import { FixedClock } from "../adapters/memory/fixed_clock.ts";
import { memoryPorts } from "../adapters/memory/memory_ports.ts";
import { TestPaymentGateway } from "../adapters/payments/test_gateway.ts";
import { RandomIds } from "../adapters/system/ids.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import type { Categories } from "../ports/catalog/categories.ts";

/**
 * Root categories without attribute definitions that the tests' own products name (a product
 * must name an existing category). The seeded tree (`seed: true`) sits beside them.
 */
export const TEST_CATEGORIES = ["testing", "kitchen", "keyboards", "publication", "visibility"];

/** Creates `slugs` as attribute-free roots (those that exist already are left alone). */
export async function createTestCategories(
  categories: Categories,
  at: Date,
  slugs: readonly string[] = TEST_CATEGORIES,
): Promise<void> {
  for (const slug of slugs) {
    if (await categories.get(slug)) continue;
    await categories.create({
      slug,
      name: slug[0].toUpperCase() + slug.slice(1),
      parent: null,
      path: slug,
      attributes: [],
      updatedAt: at,
      version: 1,
    });
  }
}

export const TEST_START = new Date("2026-11-21T12:00:00.000Z");

export const TEST_SETTINGS: Settings = {
  orderTtlMs: 15 * 60_000,
  maxPendingOrdersPerUser: 3,
  sessionTtlMs: 24 * 3_600_000,
  rateLimit: { limit: 10_000, windowMs: 60_000 },
  loginRateLimit: { limit: 1_000, windowMs: 300_000 },
};

export async function testCore(
  options: { seed?: boolean; settings?: Partial<Settings> } = {},
) {
  const clock = new FixedClock(TEST_START);
  const gateway = new TestPaymentGateway();
  const memory = await memoryPorts({
    clock,
    ids: new RandomIds(),
    logger: new JsonLogger({ silent: true }),
    // Low cost keeps tests fast; production uses the default (N = 16384).
    hasher: new ScryptPasswordHasher({ cost: 1024 }),
    gateways: [gateway],
    seed: options.seed ?? true,
  });
  await createTestCategories(memory.ports.categories, clock.now());
  await memory.syncAll();
  const useCases = bindUseCases(memory.ports, { ...TEST_SETTINGS, ...options.settings });
  return { ...memory, clock, gateway, useCases };
}

export type TestCore = Awaited<ReturnType<typeof testCore>>;
