import assert from "node:assert/strict";
import { newReview } from "../../domain/reviews/review.ts";
import { testCore } from "../../testing/core.ts";
import {
  applyReviewChange,
  applyUserChange,
  recomputeRatings,
  reconcileRatings,
} from "./review_sync.ts";

Deno.test("the review sync is idempotent and writes absolute ratings", async (t) => {
  const core = await testCore({ seed: false });
  const { catalog, reviews, users } = core.ports;
  const deps = { ...core.ports };
  const sku = "REV-SYNC-1";
  await core.useCases.createProduct({
    sku,
    name: "Reviewed product",
    category: "testing",
    brand: "Polycart",
    description: "",
    images: [],
    attrs: {},
    variants: [],
    tags: [],
    priceCents: 1_000,
    stock: 5,
  });
  const write = (id: string, authorId: string, rating: number) =>
    reviews.create(newReview({
      id,
      productSku: sku,
      authorId,
      authorName: "Ada",
      content: { rating, title: "t", body: "b" },
      verifiedPurchase: false,
      requireApproval: false,
      at: core.clock.now(),
    }));

  await t.step("replayed and out-of-order review events leave the same figures", async () => {
    await write("r1", "u1", 5);
    await write("r2", "u2", 2);
    // The second event first, then the first twice: a running average would drift.
    await applyReviewChange(deps, "r2");
    const once = (await catalog.get(sku))!;
    await applyReviewChange(deps, "r1");
    await applyReviewChange(deps, "r1");
    const after = (await catalog.get(sku))!;
    assert.deepEqual(after.ratings, {
      avg: 3.5,
      count: 2,
      distribution: { "1": 0, "2": 1, "3": 0, "4": 0, "5": 1 },
    });
    assert.equal(after.version, once.version, "a replay writes nothing");
    assert.equal(await recomputeRatings(deps, sku), false);
  });

  await t.step("a deleted review's event still recomputes its product", async () => {
    await reviews.delete("r2", core.clock.now());
    await applyReviewChange(deps, "r2");
    assert.equal((await catalog.get(sku))!.ratings.avg, 5);
    await applyReviewChange(deps, "unknown-review"); // nothing to do, no error
  });

  await t.step("reconciling after a lost feed fixes only products that drifted", async () => {
    const product = (await catalog.get(sku))!;
    await catalog.replace({ ...product, ratings: { avg: 1, count: 99 } }); // a lost event
    assert.equal(await reconcileRatings(deps), 1);
    assert.equal((await catalog.get(sku))!.ratings.avg, 5);
    assert.equal(await reconcileRatings(deps), 0);
  });

  await t.step("a user event copies the current name; a replay changes nothing", async () => {
    await users.create({
      id: "u1",
      email: "u1@example.com",
      displayName: "Ada L.",
      role: "customer",
      createdAt: core.clock.now(),
      passwordHash: "!",
    });
    assert.equal(await applyUserChange(deps, "u1"), 1);
    assert.equal(await applyUserChange(deps, "u1"), 0);
    assert.equal((await reviews.get("r1"))?.authorName, "Ada L.");
    assert.equal(await applyUserChange(deps, "nobody"), 0);
  });
});
