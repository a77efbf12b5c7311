/**
 * The consumers that keep the copies derived from reviews and users in step, driven by the
 * change feeds (never by a second write in the request):
 * - a `review` event (MongoDB change stream on `reviews`) recomputes the product's ratings from
 *   its published reviews and writes the absolute figures when they differ; that catalog write
 *   then reaches the product cache, browse sorting and search through the product feed;
 * - a `user` event (PostgreSQL outbox, written with the rename) copies the user's current
 *   display name onto their reviews.
 * Both re-read their source, so replays and late or repeated events are harmless.
 */
import { VersionConflict } from "../../domain/errors.ts";
import { authorNameOf, ratingsFrom, sameRatings } from "../../domain/reviews/review.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Clock } from "../../ports/clock.ts";
import type { UserStore } from "../../ports/identity/users.ts";
import type { Reviews } from "../../ports/reviews/reviews.ts";

export interface RatingsSyncDeps {
  readonly reviews: Reviews;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

const ATTEMPTS = 10;

/** Applies a review event: the review's product gets ratings from its published reviews. */
export async function applyReviewChange(deps: RatingsSyncDeps, reviewId: string): Promise<void> {
  const sku = await deps.reviews.productOf(reviewId);
  if (sku !== null) await recomputeRatings(deps, sku);
}

/**
 * Recomputes a product's ratings from its published reviews and stores them when they
 * differ (a catalog write, optimistic: retried when an admin edit raced in). Returns whether it
 * wrote. No product (deleted): nothing to do.
 */
export async function recomputeRatings(deps: RatingsSyncDeps, sku: string): Promise<boolean> {
  for (let attempt = 1;; attempt++) {
    const ratings = ratingsFrom(await deps.reviews.publishedStars(sku));
    const product = await deps.catalog.get(sku);
    if (!product || sameRatings(product.ratings, ratings)) return false;
    try {
      await deps.catalog.replace({ ...product, ratings, updatedAt: deps.clock.now() });
      return true;
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Applies a user event: the user's reviews show their current display name. */
export async function applyUserChange(
  deps: {
    readonly users: Pick<UserStore, "get">;
    readonly reviews: Reviews;
    readonly clock: Clock;
  },
  userId: string,
): Promise<number> {
  const user = await deps.users.get(userId);
  if (!user) return 0;
  return await deps.reviews.renameAuthor(userId, authorNameOf(user.displayName), deps.clock.now());
}

/**
 * Recomputes every product's ratings (writing only those that differ): after a feed lost its
 * history, review changes in the lost stretch may not have reached their products.
 */
export async function reconcileRatings(deps: RatingsSyncDeps): Promise<number> {
  let fixed = 0;
  for await (const product of deps.catalog.all()) {
    if (await recomputeRatings(deps, product.sku)) fixed++;
  }
  return fixed;
}
