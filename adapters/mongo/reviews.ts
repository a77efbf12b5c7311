import type { Collection, Db, Filter, IndexDescription, Sort } from "mongodb";
import { NotFound, ReviewExists, VersionConflict } from "../../domain/errors.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import type {
  Review,
  ReviewListQuery,
  ReviewSort,
  ReviewStatus,
} from "../../domain/reviews/review.ts";
import type { HelpfulVote, Reviews } from "../../ports/reviews/reviews.ts";
import { isDuplicateKey, toDomainError } from "./_errors.ts";
import { fromReviewDoc, type ReviewDoc, tombstone, toReviewDoc } from "./_review_doc.ts";

const LIVE = { deleted: { $ne: true } } as const;

const SORTS: Record<ReviewSort, Sort> = {
  newest: { createdAt: -1, _id: 1 },
  helpful: { helpfulCount: -1, createdAt: -1, _id: 1 },
  rating_desc: { rating: -1, createdAt: -1, _id: 1 },
  rating_asc: { rating: 1, createdAt: -1, _id: 1 },
};

const INDEXES: IndexDescription[] = [
  // One review per customer and product: concurrent creates race on this index.
  { key: { productSku: 1, authorId: 1 }, name: "product_author_unique", unique: true },
  { key: { productSku: 1, status: 1, createdAt: -1 }, name: "product_status_newest" },
  { key: { productSku: 1, status: 1, helpfulCount: -1 }, name: "product_status_helpful" },
  { key: { productSku: 1, status: 1, rating: -1 }, name: "product_status_rating" },
  { key: { status: 1, createdAt: 1 }, name: "moderation_queue" },
  { key: { authorId: 1 }, name: "author" },
];

/** Optimistic writes retry this often when a vote or a rename races another write. */
const MAX_ATTEMPTS = 20;

/**
 * `Reviews` on MongoDB's `reviews` collection. Every write is a whole-document insert or a
 * replace guarded by `{_id, version}` (no `$set`, no transaction: the CI wire server reports
 * whole-document changes on its change stream, and needs no transactions for this), so each
 * change event names the review by `documentKey._id`. Unreachable server:
 * `DependencyUnavailable("mongodb")`.
 */
export class MongoReviews implements Reviews {
  readonly #reviews: Collection<ReviewDoc>;
  #ready: Promise<void> | null = null;

  constructor(db: Db, options: { collection?: string } = {}) {
    this.#reviews = db.collection<ReviewDoc>(options.collection ?? "reviews");
  }

  ensureIndexes(): Promise<void> {
    this.#ready ??= this.#reviews.createIndexes(INDEXES).then(() => {}).catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  create(review: Review): Promise<Review> {
    return this.#run(async () => {
      try {
        await this.#reviews.insertOne(toReviewDoc(review, []));
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const other = await this.#reviews.findOne({
          productSku: { $eq: review.productSku },
          authorId: { $eq: review.authorId },
        });
        if (!other && (await this.#reviews.countDocuments({ _id: { $eq: review.id } })) > 0) {
          throw new Error(`review id ${review.id} already used`);
        }
        throw new ReviewExists(review.productSku, other?._id ?? null);
      }
      return review;
    });
  }

  get(id: string): Promise<Review | null> {
    return this.#run(async () => {
      const doc = await this.#live(id);
      return doc ? fromReviewDoc(doc) : null;
    });
  }

  productOf(id: string): Promise<string | null> {
    return this.#run(async () => {
      const doc = await this.#reviews.findOne({ _id: { $eq: id } }, {
        projection: { productSku: 1 },
      });
      return doc?.productSku ?? null;
    });
  }

  replace(review: Review): Promise<Review> {
    return this.#run(async () => {
      const stored = await this.#live(review.id);
      if (!stored) throw new NotFound("review", review.id);
      if (stored.version !== review.version) {
        throw new VersionConflict("review", review.id, review.version);
      }
      // Who voted is the store's: carried over from the version the guard matches.
      const next = toReviewDoc({ ...review, version: review.version + 1 }, stored.helpfulBy ?? []);
      if (!(await this.#swap(stored, next))) {
        throw new VersionConflict("review", review.id, review.version);
      }
      return fromReviewDoc(next);
    });
  }

  delete(id: string, at: Date): Promise<Review | null> {
    return this.#run(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const stored = await this.#live(id);
        if (!stored) return null;
        if (await this.#swap(stored, tombstone(stored, at))) return fromReviewDoc(stored);
      }
      throw new Error(`review ${id} kept changing while being deleted`);
    });
  }

  listPublished(productSku: string, query: ReviewListQuery): Promise<Page<Review>> {
    const filter: Filter<ReviewDoc> = {
      productSku: { $eq: productSku },
      status: { $eq: "published" },
      ...LIVE,
    };
    if (query.rating !== undefined) filter.rating = { $eq: query.rating };
    return this.#page(filter, SORTS[query.sort], query);
  }

  listByStatus(status: ReviewStatus, page: PageRequest): Promise<Page<Review>> {
    return this.#page({ status: { $eq: status }, ...LIVE }, { createdAt: 1, _id: 1 }, page);
  }

  voteHelpful(id: string, userId: string, at: Date): Promise<HelpfulVote> {
    return this.#run(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const stored = await this.#live(id);
        if (!stored) throw new NotFound("review", id);
        const voters = stored.helpfulBy ?? [];
        if (voters.includes(userId)) return { review: fromReviewDoc(stored), counted: false };
        const review = fromReviewDoc(stored);
        const next = toReviewDoc({ ...review, version: review.version + 1 }, [...voters, userId]);
        if (await this.#swap(stored, next)) {
          void at; // a vote is not an edit: updatedAt stays the author's
          return { review: fromReviewDoc(next), counted: true };
        }
      }
      throw new Error(`review ${id} kept changing while counting a vote`);
    });
  }

  publishedStars(productSku: string): Promise<Record<number, number>> {
    return this.#run(async () => {
      const groups = await this.#reviews.aggregate<{ _id: number; n: number }>([
        { $match: { productSku: { $eq: productSku }, status: { $eq: "published" }, ...LIVE } },
        { $group: { _id: "$rating", n: { $sum: 1 } } },
      ]).toArray();
      return Object.fromEntries(groups.map((g) => [g._id, g.n]));
    });
  }

  renameAuthor(authorId: string, authorName: string, at: Date): Promise<number> {
    return this.#run(async () => {
      let changed = 0;
      const stale = await this.#reviews.find({
        authorId: { $eq: authorId },
        authorName: { $ne: authorName },
        ...LIVE,
      }, { projection: { _id: 1 } }).toArray();
      for (const { _id } of stale) {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const stored = await this.#live(_id);
          if (!stored || stored.authorName === authorName) break;
          const next = { ...stored, authorName, version: stored.version + 1 };
          if (await this.#swap(stored, next)) {
            changed++;
            break;
          }
        }
      }
      void at;
      return changed;
    });
  }

  #live(id: string): Promise<ReviewDoc | null> {
    return this.#reviews.findOne({ _id: { $eq: id }, ...LIVE });
  }

  /** Replaces `stored` by `next` only while the stored version is still `stored.version`. */
  async #swap(stored: ReviewDoc, next: ReviewDoc): Promise<boolean> {
    const { _id, ...replacement } = next;
    const result = await this.#reviews.replaceOne(
      { _id: { $eq: _id }, version: { $eq: stored.version } },
      replacement,
    );
    return result.matchedCount === 1;
  }

  #page(filter: Filter<ReviewDoc>, sort: Sort, page: PageRequest): Promise<Page<Review>> {
    return this.#run(async () => {
      const [docs, total] = await Promise.all([
        this.#reviews.find(filter).sort(sort).skip((page.page - 1) * page.size).limit(page.size)
          .toArray(),
        this.#reviews.countDocuments(filter),
      ]);
      return { items: docs.map(fromReviewDoc), page: page.page, size: page.size, total };
    });
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.ensureIndexes();
      return await operation();
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
