import { NotFound, ReviewExists, VersionConflict } from "../../domain/errors.ts";
import { type Page, pageOf, type PageRequest } from "../../domain/pagination.ts";
import {
  compareReviews,
  type Review,
  type ReviewListQuery,
  type ReviewStatus,
} from "../../domain/reviews/review.ts";
import type { HelpfulVote, Reviews } from "../../ports/reviews/reviews.ts";
import type { MemoryChangeLog } from "./change_feed.ts";

interface Stored {
  review: Review;
  voters: Set<string>;
}

/**
 * `Reviews` in memory, keeping the MongoDB adapter's promises: one review per (product,
 * author), optimistic replaces, tombstones on delete, and a `review` event on the change log
 * (when given) for every write, in the same step.
 */
export class MemoryReviews implements Reviews {
  readonly #live = new Map<string, Stored>();
  /** Deleted reviews' products, like the MongoDB adapter's tombstones. */
  readonly #deleted = new Map<string, string>();
  readonly #changes?: MemoryChangeLog;

  constructor(options: { changes?: MemoryChangeLog } = {}) {
    this.#changes = options.changes;
  }

  create(review: Review): Promise<Review> {
    for (const { review: other } of this.#live.values()) {
      if (other.productSku === review.productSku && other.authorId === review.authorId) {
        return Promise.reject(new ReviewExists(review.productSku, other.id));
      }
    }
    if (this.#live.has(review.id) || this.#deleted.has(review.id)) {
      return Promise.reject(new Error(`review id ${review.id} already used`));
    }
    this.#store(review, new Set());
    return Promise.resolve(copy(review));
  }

  get(id: string): Promise<Review | null> {
    const stored = this.#live.get(id);
    return Promise.resolve(stored ? copy(stored.review) : null);
  }

  productOf(id: string): Promise<string | null> {
    return Promise.resolve(this.#live.get(id)?.review.productSku ?? this.#deleted.get(id) ?? null);
  }

  replace(review: Review): Promise<Review> {
    const stored = this.#live.get(review.id);
    if (!stored) return Promise.reject(new NotFound("review", review.id));
    if (stored.review.version !== review.version) {
      return Promise.reject(new VersionConflict("review", review.id, review.version));
    }
    const next = {
      ...review,
      // Who may vote and the tally are the store's, never the caller's copy.
      helpfulCount: stored.review.helpfulCount,
      version: review.version + 1,
    };
    this.#store(next, stored.voters);
    return Promise.resolve(copy(next));
  }

  delete(id: string, at: Date): Promise<Review | null> {
    const stored = this.#live.get(id);
    if (!stored) return Promise.resolve(null);
    this.#live.delete(id);
    this.#deleted.set(id, stored.review.productSku);
    this.#changes?.append("review", id, at);
    return Promise.resolve(copy(stored.review));
  }

  listPublished(productSku: string, query: ReviewListQuery): Promise<Page<Review>> {
    const all = [...this.#live.values()].map((s) => s.review).filter((r) =>
      r.productSku === productSku && r.status === "published" &&
      (query.rating === undefined || r.rating === query.rating)
    ).sort(compareReviews(query.sort));
    return Promise.resolve(pageOf(all.map(copy), query));
  }

  listByStatus(status: ReviewStatus, page: PageRequest): Promise<Page<Review>> {
    const all = [...this.#live.values()].map((s) => s.review).filter((r) => r.status === status)
      .sort((a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      );
    return Promise.resolve(pageOf(all.map(copy), page));
  }

  voteHelpful(id: string, userId: string, at: Date): Promise<HelpfulVote> {
    const stored = this.#live.get(id);
    if (!stored) return Promise.reject(new NotFound("review", id));
    if (stored.voters.has(userId)) {
      return Promise.resolve({ review: copy(stored.review), counted: false });
    }
    const voters = new Set(stored.voters).add(userId);
    const next = {
      ...stored.review,
      helpfulCount: voters.size,
      version: stored.review.version + 1,
    };
    this.#store(next, voters, at);
    return Promise.resolve({ review: copy(next), counted: true });
  }

  publishedStars(productSku: string): Promise<Record<number, number>> {
    const stars: Record<number, number> = {};
    for (const { review } of this.#live.values()) {
      if (review.productSku !== productSku || review.status !== "published") continue;
      stars[review.rating] = (stars[review.rating] ?? 0) + 1;
    }
    return Promise.resolve(stars);
  }

  renameAuthor(authorId: string, authorName: string, at: Date): Promise<number> {
    let changed = 0;
    for (const stored of [...this.#live.values()]) {
      const r = stored.review;
      if (r.authorId !== authorId || r.authorName === authorName) continue;
      this.#store({ ...r, authorName, version: r.version + 1 }, stored.voters, at);
      changed++;
    }
    return Promise.resolve(changed);
  }

  #store(review: Review, voters: Set<string>, at: Date = review.updatedAt): void {
    this.#live.set(review.id, { review: copy(review), voters });
    this.#changes?.append("review", review.id, at);
  }
}

function copy(review: Review): Review {
  return {
    ...review,
    createdAt: new Date(review.createdAt),
    updatedAt: new Date(review.updatedAt),
  };
}
