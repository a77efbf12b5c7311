import assert from "node:assert/strict";
import { NotFound, ReviewExists, VersionConflict } from "../../domain/errors.ts";
import { newReview, type Review } from "../../domain/reviews/review.ts";
import type { ChangeFeed } from "../search/change_feed.ts";
import type { Reviews } from "../reviews/reviews.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

export interface ReviewsFixture {
  readonly reviews: Reviews;
  /** The feed the store's writes appear on (`review` events keyed by review id). */
  readonly feed: ChangeFeed;
}

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function sampleReview(overrides: Partial<Review> = {}): Review {
  return {
    ...newReview({
      id: crypto.randomUUID(),
      productSku: `SKU-${crypto.randomUUID().slice(0, 8)}`,
      authorId: crypto.randomUUID(),
      authorName: "Ada",
      content: { rating: 4, title: "Solid", body: "Does what it says." },
      verifiedPurchase: false,
      requireApproval: false,
      at: T0,
    }),
    ...overrides,
  };
}

/** Every review event after `after`, as review ids (the feed waits briefly for them). */
async function idsAfter(feed: ChangeFeed, after: string | null, want: number): Promise<string[]> {
  const ids: string[] = [];
  let from = after;
  const deadline = Date.now() + 5_000;
  while (ids.length < want && Date.now() < deadline) {
    const events = await feed.poll(from, 100, 200);
    for (const e of events) {
      assert.equal(e.source, "review");
      ids.push(e.sku);
      from = e.checkpoint;
    }
  }
  return ids;
}

export function reviewsContract(
  label: string,
  make: MakeFixture<ReviewsFixture>,
  options: ContractOptions = {},
): void {
  defineContract("Reviews", label, make, options, async (step) => {
    await step("a review is created, read back and named by its product", async ({ reviews }) => {
      const review = sampleReview();
      assert.deepEqual(await reviews.create(review), review);
      assert.deepEqual(await reviews.get(review.id), review);
      assert.equal(await reviews.productOf(review.id), review.productSku);
      assert.equal(await reviews.get("nope"), null);
      assert.equal(await reviews.productOf("nope"), null);
    });

    await step("one review per author and product, even when two race", async ({ reviews }) => {
      const first = sampleReview();
      await reviews.create(first);
      const again = sampleReview({ productSku: first.productSku, authorId: first.authorId });
      const error = await reviews.create(again).then(() => null, (e) => e);
      assert.ok(error instanceof ReviewExists, String(error));
      assert.equal(error.productSku, first.productSku);
      // Another product or another author is fine.
      await reviews.create(sampleReview({ authorId: first.authorId }));
      await reviews.create(sampleReview({ productSku: first.productSku }));

      const product = `SKU-${crypto.randomUUID().slice(0, 8)}`;
      const author = crypto.randomUUID();
      const racers = Array.from(
        { length: 8 },
        () => sampleReview({ productSku: product, authorId: author }),
      );
      const results = await Promise.allSettled(racers.map((r) => reviews.create(r)));
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of results) {
        if (r.status === "rejected") assert.ok(r.reason instanceof ReviewExists, String(r.reason));
      }
    });

    await step("replace is optimistic and bumps the version", async ({ reviews }) => {
      const review = await reviews.create(sampleReview());
      const edited = await reviews.replace({
        ...review,
        rating: 2,
        title: "Meh",
        updatedAt: at(5),
      });
      assert.equal(edited.version, 2);
      assert.deepEqual(await reviews.get(review.id), edited);
      await assert.rejects(reviews.replace({ ...review, rating: 5 }), VersionConflict);
      await assert.rejects(reviews.replace(sampleReview()), NotFound);
    });

    await step(
      "delete leaves the product known and frees the author's slot",
      async ({ reviews }) => {
        const review = await reviews.create(sampleReview());
        assert.deepEqual(await reviews.delete(review.id, at(1)), review);
        assert.equal(await reviews.get(review.id), null);
        assert.equal(await reviews.productOf(review.id), review.productSku);
        assert.equal(await reviews.delete(review.id, at(2)), null);
        await assert.rejects(reviews.replace(review), NotFound);
        const again = sampleReview({ productSku: review.productSku, authorId: review.authorId });
        assert.deepEqual(await reviews.create(again), again);
      },
    );

    await step("published reviews list by each sort, star filter and page", async ({ reviews }) => {
      const sku = `SKU-${crypto.randomUUID().slice(0, 8)}`;
      const r = (rating: number, minutes: number, status: Review["status"] = "published") =>
        reviews.create(sampleReview({ productSku: sku, rating, status, createdAt: at(minutes) }));
      const a = await r(5, 1);
      const b = await r(2, 2);
      const c = await r(4, 3);
      await r(1, 4, "pending");
      await r(3, 5, "rejected");
      await reviews.create(sampleReview({ rating: 5 })); // another product
      await reviews.voteHelpful(b.id, "u1", at(10));
      await reviews.voteHelpful(b.id, "u2", at(10));
      await reviews.voteHelpful(a.id, "u1", at(10));
      const ids = async (
        sort: "newest" | "helpful" | "rating_desc" | "rating_asc",
        rating?: number,
      ) =>
        (await reviews.listPublished(sku, { sort, rating, page: 1, size: 10 })).items.map((x) =>
          x.id
        );
      assert.deepEqual(await ids("newest"), [c.id, b.id, a.id]);
      assert.deepEqual(await ids("helpful"), [b.id, a.id, c.id]);
      assert.deepEqual(await ids("rating_desc"), [a.id, c.id, b.id]);
      assert.deepEqual(await ids("rating_asc"), [b.id, c.id, a.id]);
      assert.deepEqual(await ids("newest", 4), [c.id]);
      const page = await reviews.listPublished(sku, { sort: "newest", page: 2, size: 2 });
      assert.deepEqual(page.items.map((x) => x.id), [a.id]);
      assert.equal(page.total, 3);
      assert.deepEqual(await reviews.publishedStars(sku), { 5: 1, 4: 1, 2: 1 });
    });

    await step("the moderation queue lists one status, oldest first", async ({ reviews }) => {
      const first = await reviews.create(sampleReview({ status: "pending", createdAt: at(1) }));
      const second = await reviews.create(sampleReview({ status: "pending", createdAt: at(2) }));
      await reviews.create(sampleReview({ status: "rejected" }));
      const page = await reviews.listByStatus("pending", { page: 1, size: 50 });
      const mine = page.items.map((r) => r.id).filter((id) => id === first.id || id === second.id);
      assert.deepEqual(mine, [first.id, second.id]);
      assert.ok(page.items.every((r) => r.status === "pending"));
    });

    await step("a helpful vote counts once per customer", async ({ reviews }) => {
      const review = await reviews.create(sampleReview());
      const one = await reviews.voteHelpful(review.id, "voter-1", at(1));
      assert.equal(one.counted, true);
      assert.equal(one.review.helpfulCount, 1);
      const twice = await reviews.voteHelpful(review.id, "voter-1", at(2));
      assert.equal(twice.counted, false);
      assert.equal(twice.review.helpfulCount, 1);
      const votes = await Promise.all(
        ["a", "b", "c", "d", "a", "b"].map((v) => reviews.voteHelpful(review.id, v, at(3))),
      );
      assert.equal(votes.filter((v) => v.counted).length, 4);
      assert.equal((await reviews.get(review.id))?.helpfulCount, 5);
      // An edit keeps the tally.
      const current = (await reviews.get(review.id))!;
      const edited = await reviews.replace({ ...current, helpfulCount: 0, title: "Edited" });
      assert.equal(edited.helpfulCount, 5);
      assert.equal((await reviews.voteHelpful(review.id, "a", at(4))).counted, false);
      await assert.rejects(reviews.voteHelpful("nope", "a", at(4)), NotFound);
    });

    await step("renaming an author rewrites only what differs", async ({ reviews }) => {
      const author = crypto.randomUUID();
      const one = await reviews.create(sampleReview({ authorId: author }));
      const two = await reviews.create(sampleReview({ authorId: author }));
      const other = await reviews.create(sampleReview());
      assert.equal(await reviews.renameAuthor(author, "Grace", at(1)), 2);
      assert.equal(await reviews.renameAuthor(author, "Grace", at(2)), 0);
      assert.equal((await reviews.get(one.id))?.authorName, "Grace");
      assert.equal((await reviews.get(two.id))?.authorName, "Grace");
      assert.equal((await reviews.get(other.id))?.authorName, "Ada");
    });

    await step(
      "every write appears on the feed under the review's id",
      async ({ reviews, feed }) => {
        const head = await feed.head();
        const review = await reviews.create(sampleReview());
        const current = await reviews.replace({ ...review, rating: 1 });
        await reviews.voteHelpful(current.id, "v", at(1));
        await reviews.delete(review.id, at(2));
        const ids = await idsAfter(feed, head, 4);
        assert.deepEqual(ids.slice(-4), [review.id, review.id, review.id, review.id]);
      },
    );
  });
}
