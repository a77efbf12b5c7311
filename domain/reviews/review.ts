/**
 * Customer reviews (MongoDB owns them) and the product ratings derived from them. Pure rules:
 * the limits, the statuses, a new review's status, an edit and a moderation decision, and the
 * ratings recomputed from the published reviews' stars (never a running average).
 */
import type { RatingDistribution, Ratings } from "../catalog/product.ts";

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const TITLE_MAX = 120;
export const BODY_MAX = 5_000;
/** What a review shows for an author without a display name. */
export const ANONYMOUS_AUTHOR = "Customer";

export const REVIEW_STATUSES = ["pending", "published", "rejected"] as const;
export type ReviewStatus = typeof REVIEW_STATUSES[number];

export const REVIEW_SORTS = ["newest", "helpful", "rating_desc", "rating_asc"] as const;
export type ReviewSort = typeof REVIEW_SORTS[number];

export interface Review {
  readonly id: string;
  /** The product's own SKU (a variant SKU given by a client is resolved to it). */
  readonly productSku: string;
  readonly authorId: string;
  /** Denormalised from the user (PostgreSQL); the outbox carries renames here. */
  readonly authorName: string;
  readonly rating: number;
  readonly title: string;
  readonly body: string;
  readonly status: ReviewStatus;
  readonly verifiedPurchase: boolean;
  readonly helpfulCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Increments on every write (optimistic concurrency). */
  readonly version: number;
}

export interface ReviewContent {
  readonly rating: number;
  readonly title: string;
  readonly body: string;
}

export interface ReviewListQuery {
  readonly sort: ReviewSort;
  /** Only reviews with exactly this many stars. */
  readonly rating?: number;
  readonly page: number;
  readonly size: number;
}

export function authorNameOf(displayName: string | null): string {
  return displayName?.trim() || ANONYMOUS_AUTHOR;
}

/** A review as first written: published at once unless the shop moderates first. */
export function newReview(input: {
  readonly id: string;
  readonly productSku: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly content: ReviewContent;
  readonly verifiedPurchase: boolean;
  readonly requireApproval: boolean;
  readonly at: Date;
}): Review {
  return {
    id: input.id,
    productSku: input.productSku,
    authorId: input.authorId,
    authorName: input.authorName,
    ...input.content,
    status: input.requireApproval ? "pending" : "published",
    verifiedPurchase: input.verifiedPurchase,
    helpfulCount: 0,
    createdAt: new Date(input.at),
    updatedAt: new Date(input.at),
    version: 1,
  };
}

/**
 * The author's edit. Under moderation an edited review waits for approval again; without it
 * the review keeps its status (a review an admin rejected stays rejected).
 */
export function editReview(
  review: Review,
  patch: Partial<ReviewContent>,
  options: { readonly requireApproval: boolean; readonly verifiedPurchase: boolean; at: Date },
): Review {
  return {
    ...review,
    rating: patch.rating ?? review.rating,
    title: patch.title ?? review.title,
    body: patch.body ?? review.body,
    verifiedPurchase: review.verifiedPurchase || options.verifiedPurchase,
    status: options.requireApproval ? "pending" : review.status,
    updatedAt: new Date(options.at),
  };
}

export function emptyDistribution(): RatingDistribution {
  return { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 };
}

export const NO_RATINGS: Ratings = Object.freeze({
  avg: 0,
  count: 0,
  distribution: Object.freeze(emptyDistribution()),
});

/**
 * The ratings of a product from how many published reviews give each number of stars:
 * absolute figures, so recomputing them any number of times gives the same answer. The
 * average is rounded to two decimals (0 without reviews).
 */
export function ratingsFrom(counts: Readonly<Partial<Record<number, number>>>): Ratings {
  const distribution = emptyDistribution();
  let count = 0;
  let stars = 0;
  for (let r = RATING_MIN; r <= RATING_MAX; r++) {
    const n = counts[r] ?? 0;
    distribution[String(r) as keyof RatingDistribution] = n;
    count += n;
    stars += n * r;
  }
  return { avg: count === 0 ? 0 : Math.round((stars / count) * 100) / 100, count, distribution };
}

export function sameRatings(a: Ratings, b: Ratings): boolean {
  if (a.avg !== b.avg || a.count !== b.count) return false;
  const da = a.distribution ?? emptyDistribution();
  const db = b.distribution ?? emptyDistribution();
  return (["1", "2", "3", "4", "5"] as const).every((k) => da[k] === db[k]);
}

/** Orders a list of reviews as `sort` asks (the memory store; MongoDB sorts the same way). */
export function compareReviews(sort: ReviewSort): (a: Review, b: Review) => number {
  const newest = (a: Review, b: Review) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case "newest":
      return newest;
    case "helpful":
      return (a, b) => b.helpfulCount - a.helpfulCount || newest(a, b);
    case "rating_desc":
      return (a, b) => b.rating - a.rating || newest(a, b);
    case "rating_asc":
      return (a, b) => a.rating - b.rating || newest(a, b);
  }
}
