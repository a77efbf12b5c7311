/**
 * Customer reviews: write, edit, delete, list, vote helpful, moderate. Reviews live in their
 * own store (MongoDB); the product's ratings are not touched here: the reviews change feed
 * recomputes them (review_sync.ts), so a review write is one write.
 */
import type { Product } from "../../domain/catalog/product.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import { skusOf } from "../../domain/catalog/variant.ts";
import { NotFound, VersionConflict } from "../../domain/errors.ts";
import type { User } from "../../domain/identity/user.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import {
  authorNameOf,
  editReview as applyEdit,
  newReview,
  type Review,
  type ReviewContent,
  type ReviewListQuery,
  type ReviewStatus,
} from "../../domain/reviews/review.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";
import type { UserStore } from "../../ports/identity/users.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { OrderStore } from "../../ports/ordering/orders.ts";
import type { HelpfulVote, Reviews } from "../../ports/reviews/reviews.ts";

export interface ReviewDeps {
  readonly reviews: Reviews;
  readonly catalog: Catalog;
  /** Verified purchases are checked in PostgreSQL when a review is written. */
  readonly orders: Pick<OrderStore, "hasPurchased">;
  readonly users: Pick<UserStore, "get" | "setDisplayName">;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** `REVIEWS_REQUIRE_APPROVAL`: new and edited reviews wait for an admin. */
  readonly requireApproval: boolean;
}

/** Optimistic writes re-read and retry this often when another write raced in. */
const ATTEMPTS = 5;

/**
 * The visible product a review path names: its own SKU or one of its variants'. Drafts and
 * scheduled products are 404 like on `GET /products/:sku`.
 */
async function visibleProduct(deps: ReviewDeps, sku: string): Promise<Product> {
  const product = await deps.catalog.get(sku) ?? await deps.catalog.getByVariantSku(sku);
  if (!product || !isPublished(product.publishedAt, deps.clock.now())) {
    throw new NotFound("product", sku);
  }
  return product;
}

async function author(deps: ReviewDeps, userId: string): Promise<User> {
  const user = await deps.users.get(userId);
  if (!user) throw new NotFound("user", userId);
  return user;
}

export async function writeReview(
  deps: ReviewDeps,
  input: { readonly userId: string; readonly sku: string; readonly content: ReviewContent },
): Promise<Review> {
  const product = await visibleProduct(deps, input.sku);
  const user = await author(deps, input.userId);
  const verifiedPurchase = await deps.orders.hasPurchased(user.id, skusOf(product));
  return await deps.reviews.create(newReview({
    id: deps.ids.id(),
    productSku: product.sku,
    authorId: user.id,
    authorName: authorNameOf(user.displayName),
    content: input.content,
    verifiedPurchase,
    requireApproval: deps.requireApproval,
    at: deps.clock.now(),
  }));
}

/** The caller's own live review; another user's is `NotFound`, as if it did not exist. */
async function ownReview(deps: ReviewDeps, userId: string, id: string): Promise<Review> {
  const review = await deps.reviews.get(id);
  if (!review || review.authorId !== userId) throw new NotFound("review", id);
  return review;
}

/** Re-reads and retries `write` when the review changed in between (a vote, a rename). */
async function retrying(write: () => Promise<Review>): Promise<Review> {
  for (let attempt = 1;; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= ATTEMPTS) throw error;
    }
  }
}

export function editReview(
  deps: ReviewDeps,
  input: { readonly userId: string; readonly id: string; readonly patch: Partial<ReviewContent> },
): Promise<Review> {
  return retrying(async () => {
    const review = await ownReview(deps, input.userId, input.id);
    const product = await deps.catalog.get(review.productSku);
    // A purchase made since the review was written verifies it now (never the other way).
    const verifiedPurchase = product !== null && !review.verifiedPurchase &&
      await deps.orders.hasPurchased(input.userId, skusOf(product));
    return await deps.reviews.replace(applyEdit(review, input.patch, {
      requireApproval: deps.requireApproval,
      verifiedPurchase,
      at: deps.clock.now(),
    }));
  });
}

export async function deleteReview(
  deps: ReviewDeps,
  input: { readonly userId: string; readonly id: string },
): Promise<void> {
  await ownReview(deps, input.userId, input.id);
  if (!(await deps.reviews.delete(input.id, deps.clock.now()))) {
    throw new NotFound("review", input.id);
  }
}

export async function listProductReviews(
  deps: ReviewDeps,
  sku: string,
  query: ReviewListQuery,
): Promise<Page<Review>> {
  const product = await visibleProduct(deps, sku);
  return await deps.reviews.listPublished(product.sku, query);
}

/**
 * Counts the caller once as finding a published review helpful. A second vote is not an error:
 * it answers the review as it is with `counted: false` (idempotent, safe to retry).
 */
export async function markHelpful(
  deps: ReviewDeps,
  input: { readonly userId: string; readonly id: string },
): Promise<HelpfulVote> {
  const review = await deps.reviews.get(input.id);
  if (!review || review.status !== "published") throw new NotFound("review", input.id);
  return await deps.reviews.voteHelpful(input.id, input.userId, deps.clock.now());
}

export function listReviewsByStatus(
  deps: ReviewDeps,
  status: ReviewStatus,
  page: PageRequest,
): Promise<Page<Review>> {
  return deps.reviews.listByStatus(status, page);
}

/** An admin publishes or rejects a review (from any status; the same status is a no-op). */
export function moderateReview(
  deps: ReviewDeps,
  input: { readonly id: string; readonly status: "published" | "rejected" },
): Promise<Review> {
  return retrying(async () => {
    const review = await deps.reviews.get(input.id);
    if (!review) throw new NotFound("review", input.id);
    if (review.status === input.status) return review;
    return await deps.reviews.replace({ ...review, status: input.status });
  });
}

/**
 * The caller's new display name. Its reviews show the old one until the sync applies the
 * user event written with it (review_sync.ts), within the sync's lag.
 */
export async function updateProfile(
  deps: Pick<ReviewDeps, "users" | "clock">,
  input: { readonly userId: string; readonly displayName: string | null },
): Promise<User> {
  return await deps.users.setDisplayName(input.userId, input.displayName, deps.clock.now());
}
