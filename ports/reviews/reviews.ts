import type { Page, PageRequest } from "../../domain/pagination.ts";
import type { Review, ReviewListQuery, ReviewStatus } from "../../domain/reviews/review.ts";

/** Outcome of a helpful vote: `counted` is false when this customer had already voted. */
export interface HelpfulVote {
  readonly review: Review;
  readonly counted: boolean;
}

/**
 * Customer reviews (MongoDB's `reviews` collection in production). Every write is one
 * single-document operation, so no transaction is needed:
 * - `create` is refused with `ReviewExists` when the author already has a review of the
 *   product, atomically (a unique index on product and author; two concurrent creates: one
 *   wins);
 * - `replace` is optimistic (stored version must equal `review.version`; `VersionConflict`);
 * - `delete` leaves a tombstone naming the product (so the change feed's consumer can recompute
 *   its ratings) and frees the author's slot for a new review.
 * Each write appears on the reviews change feed with the review id as its key.
 */
export interface Reviews {
  /** Throws `ReviewExists` (with the existing review's id when known). */
  create(review: Review): Promise<Review>;
  /** A live review; null when unknown or deleted. */
  get(id: string): Promise<Review | null>;
  /** The product a review (live or deleted) is about; null when the id was never a review. */
  productOf(id: string): Promise<string | null>;
  /** Throws `NotFound` (unknown or deleted) and `VersionConflict`. Stores `version + 1`. */
  replace(review: Review): Promise<Review>;
  /** Deletes a live review; returns it, or null when there was none. */
  delete(id: string, at: Date): Promise<Review | null>;
  /** Published reviews of a product, sorted and paged. */
  listPublished(productSku: string, query: ReviewListQuery): Promise<Page<Review>>;
  /** Reviews in one moderation status, oldest first (the moderation queue). */
  listByStatus(status: ReviewStatus, page: PageRequest): Promise<Page<Review>>;
  /**
   * Counts `userId` once as finding the review helpful; a second vote changes nothing and
   * answers `counted: false`. Throws `NotFound` for an unknown or deleted review.
   */
  voteHelpful(id: string, userId: string, at: Date): Promise<HelpfulVote>;
  /** Published reviews of a product per number of stars (`{5: 12, 4: 3, ...}`). */
  publishedStars(productSku: string): Promise<Record<number, number>>;
  /**
   * Sets the author name on every review by `authorId` that shows another one; returns how
   * many changed (0 on a replay).
   */
  renameAuthor(authorId: string, authorName: string, at: Date): Promise<number>;
}
