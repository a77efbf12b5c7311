import assert from "node:assert/strict";
import { ratingsFrom } from "../../domain/reviews/review.ts";
import { ScryptPasswordHasher } from "../crypto/scrypt_password_hasher.ts";
import { TestPaymentGateway } from "../payments/test_gateway.ts";
import { FixedClock, SequentialIds } from "./fixed_clock.ts";
import { memoryPorts } from "./memory_ports.ts";
import { SEED_REVIEWERS, seedReviews } from "./seed_reviews.ts";
import { seedCatalog } from "./seed.ts";
import type { Logger } from "../../ports/logger.ts";

const quiet: Logger = { info() {}, warn() {}, error() {} };

Deno.test("the seed's reviews give products their ratings, some verified", async (t) => {
  const clock = new FixedClock(new Date("2025-03-03T10:00:00.000Z"));
  const memory = await memoryPorts({
    clock,
    ids: new SequentialIds(),
    logger: quiet,
    hasher: new ScryptPasswordHasher({ cost: 1024 }),
    gateways: [new TestPaymentGateway()],
    seed: true,
    seedPurchases: true,
  });
  const { catalog, reviews } = memory.ports;
  const products = seedCatalog(clock.now()).products;

  await t.step("every product's ratings equal what its published reviews give", async () => {
    let reviewed = 0;
    for (const seeded of products) {
      const product = await catalog.get(seeded.sku);
      assert.ok(product);
      const expected = ratingsFrom(await reviews.publishedStars(seeded.sku));
      assert.deepEqual(product.ratings, expected, seeded.sku);
      if (expected.count > 0) reviewed++;
    }
    assert.ok(reviewed >= products.length / 2, `${reviewed} products reviewed`);
    const all = await Promise.all(products.map((p) => catalog.get(p.sku)));
    assert.ok(all.some((p) => p!.ratings.avg === 5), "some are rated 5");
    assert.ok(all.some((p) => p!.ratings.count > 0 && p!.ratings.avg < 3), "some are poor");
  });

  await t.step("some reviews are verified purchases, backed by confirmed orders", async () => {
    let verified = 0;
    for (const p of products) {
      const page = await reviews.listPublished(p.sku, { sort: "newest", page: 1, size: 10 });
      for (const r of page.items) {
        if (!r.verifiedPurchase) continue;
        verified++;
        const orders = await memory.ports.orders.list({ userId: r.authorId, page: 1, size: 50 });
        assert.ok(orders.items.some((o) => o.status === "confirmed"), r.id);
      }
    }
    assert.ok(verified >= 4, `${verified} verified`);
  });

  await t.step("seeding again writes nothing new", async () => {
    assert.equal(await seedReviews(memory.ports, products, { purchases: true }), 0);
    const reviewer = await memory.ports.users.get(SEED_REVIEWERS[0].id);
    assert.equal(reviewer?.displayName, SEED_REVIEWERS[0].displayName);
  });
});
