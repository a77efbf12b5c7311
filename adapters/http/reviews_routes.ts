/**
 * Customer reviews: `/products/:sku/reviews` (list, write), `/reviews/:id` (the author edits or
 * deletes; another user's review is 404), `/reviews/:id/helpful`, and the moderation queue
 * under `/admin/reviews`.
 */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import type { Review as ReviewModel } from "../../domain/reviews/review.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { SkuParams } from "./schemas/catalog.ts";
import {
  CreateReviewRequest,
  HelpfulResult,
  ReviewDetail,
  ReviewDetailPage,
  ReviewIdParams,
  ReviewListQuery,
  ReviewPage,
  ReviewStatusQuery,
  UpdateReviewRequest,
} from "./schemas/reviews.ts";

const TAG = "Reviews";
const RATINGS_NOTE = "The product's `ratings` follow through the reviews change feed (within " +
  "the sync's lag), never by a second write here.";

const list = route({
  tag: TAG,
  summary: "A product's published reviews",
  description: "Product SKU or one of its variants' SKUs; drafts and scheduled products are 404.",
  access: "public",
  params: SkuParams,
  query: ReviewListQuery,
  success: { status: 200, description: "One page of published reviews.", schema: ReviewPage },
  problems: ["not_found", "dependency_unavailable"],
});

const create = route({
  tag: TAG,
  summary: "Review a product",
  description: "One review per customer and product (409 `review_exists`; edit or delete it " +
    "instead). `verifiedPurchase` is true when the caller has a confirmed, shipped or " +
    "delivered order of the product. Published at once unless REVIEWS_REQUIRE_APPROVAL. " +
    RATINGS_NOTE,
  access: "user",
  params: SkuParams,
  body: CreateReviewRequest,
  success: { status: 201, description: "The new review.", schema: ReviewDetail },
  problems: ["not_found", "review_exists", "dependency_unavailable"],
});

const update = route({
  tag: TAG,
  summary: "Edit your review",
  description: "Only its author; another user's review is 404. Under REVIEWS_REQUIRE_APPROVAL " +
    "an edited review waits for approval again. " + RATINGS_NOTE,
  access: "user",
  params: ReviewIdParams,
  body: UpdateReviewRequest,
  success: { status: 200, description: "The review after the edit.", schema: ReviewDetail },
  problems: ["not_found", "version_conflict", "dependency_unavailable"],
});

const remove = route({
  tag: TAG,
  summary: "Delete your review",
  description: "Only its author; another user's review is 404. " + RATINGS_NOTE,
  access: "user",
  params: ReviewIdParams,
  success: { status: 204, description: "Deleted; the product can be reviewed again." },
  problems: ["not_found", "dependency_unavailable"],
});

const helpful = route({
  tag: TAG,
  summary: "Mark a review helpful",
  description: "Counts each customer once. Voting again is not an error: 200 with " +
    "`counted: false` and the count unchanged (safe to retry).",
  access: "user",
  params: ReviewIdParams,
  success: {
    status: 200,
    description: "The review and whether this vote counted.",
    schema: HelpfulResult,
  },
  problems: ["not_found", "dependency_unavailable"],
});

const queue = route({
  tag: TAG,
  summary: "Reviews by moderation status",
  description: "Oldest first (default `pending`: the moderation queue).",
  access: "admin",
  query: ReviewStatusQuery,
  success: { status: 200, description: "One page of reviews.", schema: ReviewDetailPage },
  problems: ["dependency_unavailable"],
});

const approve = route({
  tag: TAG,
  summary: "Publish a review",
  description: "From any status; approving a published review changes nothing. " + RATINGS_NOTE,
  access: "admin",
  params: ReviewIdParams,
  success: { status: 200, description: "The review, published.", schema: ReviewDetail },
  problems: ["not_found", "version_conflict", "dependency_unavailable"],
});

const reject = route({
  tag: TAG,
  summary: "Reject a review",
  description: "Hides it from the product's reviews and ratings. " + RATINGS_NOTE,
  access: "admin",
  params: ReviewIdParams,
  success: { status: 200, description: "The review, rejected.", schema: ReviewDetail },
  problems: ["not_found", "version_conflict", "dependency_unavailable"],
});

export function reviewJson(r: ReviewModel) {
  return {
    id: r.id,
    rating: r.rating,
    title: r.title,
    body: r.body,
    author: { displayName: r.authorName },
    verifiedPurchase: r.verifiedPurchase,
    helpfulCount: r.helpfulCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function reviewDetailJson(r: ReviewModel) {
  return { ...reviewJson(r), productSku: r.productSku, status: r.status };
}

export function reviewsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/products/:sku/reviews", list.guard, async (c) => {
      const { sku } = list.params(c);
      const page = await useCases.listProductReviews(sku, list.query(c));
      return c.json({ ...page, items: page.items.map(reviewJson) }, 200);
    })
    .post("/products/:sku/reviews", create.guard, async (c) => {
      const { sku } = create.params(c);
      const body = await create.body(c);
      const review = await useCases.writeReview(principalOf(c).user.id, sku, body);
      return c.json(reviewDetailJson(review), 201);
    })
    .patch("/reviews/:id", update.guard, async (c) => {
      const { id } = update.params(c);
      const patch = await update.body(c);
      const review = await useCases.editReview(principalOf(c).user.id, id, patch);
      return c.json(reviewDetailJson(review), 200);
    })
    .delete("/reviews/:id", remove.guard, async (c) => {
      await useCases.deleteReview(principalOf(c).user.id, remove.params(c).id);
      return c.body(null, 204);
    })
    .post("/reviews/:id/helpful", helpful.guard, async (c) => {
      const { id } = helpful.params(c);
      const vote = await useCases.markReviewHelpful(principalOf(c).user.id, id);
      return c.json({ review: reviewDetailJson(vote.review), counted: vote.counted }, 200);
    });
}

export function adminReviewsRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", queue.guard, async (c) => {
      const { status, page, size } = queue.query(c);
      const result = await useCases.listReviewsByStatus(status, { page, size });
      return c.json({ ...result, items: result.items.map(reviewDetailJson) }, 200);
    })
    .post("/:id/approve", approve.guard, async (c) => {
      const review = await useCases.moderateReview(approve.params(c).id, "published");
      return c.json(reviewDetailJson(review), 200);
    })
    .post("/:id/reject", reject.guard, async (c) => {
      const review = await useCases.moderateReview(reject.params(c).id, "rejected");
      return c.json(reviewDetailJson(review), 200);
    });
}
