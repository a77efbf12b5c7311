import assert from "node:assert/strict";
import {
  authorNameOf,
  compareReviews,
  editReview,
  newReview,
  NO_RATINGS,
  ratingsFrom,
  type Review,
  sameRatings,
} from "./review.ts";

const T0 = new Date("2030-01-01T00:00:00.000Z");

function review(overrides: Partial<Review> = {}): Review {
  return {
    ...newReview({
      id: "r1",
      productSku: "SKU-1",
      authorId: "u1",
      authorName: "Ada",
      content: { rating: 4, title: "Solid", body: "Good." },
      verifiedPurchase: false,
      requireApproval: false,
      at: T0,
    }),
    ...overrides,
  };
}

Deno.test("ratingsFrom() derives absolute ratings from star counts", async (t) => {
  await t.step("no reviews: zero everywhere", () => {
    assert.deepEqual(ratingsFrom({}), NO_RATINGS);
  });
  await t.step("average rounded to two decimals, distribution per star", () => {
    assert.deepEqual(ratingsFrom({ 5: 2, 4: 1 }), {
      avg: 4.67,
      count: 3,
      distribution: { "1": 0, "2": 0, "3": 0, "4": 1, "5": 2 },
    });
  });
  await t.step("the same counts always give the same figures (no running average)", () => {
    assert.deepEqual(ratingsFrom({ 1: 1, 2: 1, 3: 1 }), ratingsFrom({ 3: 1, 2: 1, 1: 1 }));
    assert.ok(sameRatings(ratingsFrom({ 3: 7 }), ratingsFrom({ 3: 7 })));
    assert.ok(!sameRatings(ratingsFrom({ 3: 7 }), ratingsFrom({ 3: 6 })));
    assert.ok(
      sameRatings(NO_RATINGS, { avg: 0, count: 0 }),
      "older documents have no distribution",
    );
  });
});

Deno.test("newReview() and editReview() apply the moderation rule", async (t) => {
  await t.step("published at once unless approval is required", () => {
    assert.equal(review().status, "published");
    const pending = newReview({
      ...review(),
      content: { rating: 1, title: "t", body: "b" },
      requireApproval: true,
      at: T0,
    });
    assert.equal(pending.status, "pending");
    assert.equal(pending.helpfulCount, 0);
  });
  await t.step("an edit under moderation waits again; without, keeps its status", () => {
    const later = new Date(T0.getTime() + 1_000);
    const edited = editReview(review(), { rating: 2 }, {
      requireApproval: true,
      verifiedPurchase: false,
      at: later,
    });
    assert.equal(edited.status, "pending");
    assert.equal(edited.rating, 2);
    assert.equal(edited.title, "Solid");
    assert.deepEqual(edited.updatedAt, later);
    const rejected = editReview(review({ status: "rejected" }), { title: "Again" }, {
      requireApproval: false,
      verifiedPurchase: false,
      at: later,
    });
    assert.equal(rejected.status, "rejected");
  });
  await t.step("a purchase since verifies it; nothing unverifies it", () => {
    const opts = { requireApproval: false, at: T0 };
    assert.equal(
      editReview(review(), {}, { ...opts, verifiedPurchase: true }).verifiedPurchase,
      true,
    );
    const verified = review({ verifiedPurchase: true });
    assert.equal(
      editReview(verified, {}, { ...opts, verifiedPurchase: false }).verifiedPurchase,
      true,
    );
  });
  await t.step("an author without a display name shows a generic one", () => {
    assert.equal(authorNameOf(null), "Customer");
    assert.equal(authorNameOf("  "), "Customer");
    assert.equal(authorNameOf("Grace"), "Grace");
  });
});

Deno.test("compareReviews() orders by each sort, newest first on ties", () => {
  const at = (m: number) => new Date(T0.getTime() + m * 60_000);
  const a = review({ id: "a", rating: 5, helpfulCount: 1, createdAt: at(1) });
  const b = review({ id: "b", rating: 2, helpfulCount: 3, createdAt: at(2) });
  const c = review({ id: "c", rating: 5, helpfulCount: 1, createdAt: at(3) });
  const ids = (sort: Parameters<typeof compareReviews>[0]) =>
    [a, b, c].sort(compareReviews(sort)).map((r) => r.id);
  assert.deepEqual(ids("newest"), ["c", "b", "a"]);
  assert.deepEqual(ids("helpful"), ["b", "c", "a"]);
  assert.deepEqual(ids("rating_desc"), ["c", "a", "b"]);
  assert.deepEqual(ids("rating_asc"), ["b", "c", "a"]);
});
