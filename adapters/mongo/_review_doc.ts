import { z } from "zod";
import { type Review, REVIEW_STATUSES } from "../../domain/reviews/review.ts";

/**
 * A `reviews` document: the review with `_id` = review id, the ids of the customers who found
 * it helpful (never shown), and `version`. A deleted review is a tombstone
 * `{_id, productSku, authorId: "deleted:<id>", deleted: true}`: the change feed's consumer can
 * still tell which product's ratings to recompute, and the author may review the product again.
 */
export interface ReviewDoc {
  _id: string;
  productSku: string;
  authorId: string;
  authorName?: string;
  rating?: number;
  title?: string;
  body?: string;
  status?: string;
  verifiedPurchase?: boolean;
  helpfulCount?: number;
  helpfulBy?: string[];
  createdAt?: Date;
  updatedAt: Date;
  version: number;
  deleted?: boolean;
}

const LiveDoc = z.object({
  _id: z.string(),
  productSku: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  rating: z.number().int(),
  title: z.string(),
  body: z.string(),
  status: z.enum(REVIEW_STATUSES),
  verifiedPurchase: z.boolean(),
  helpfulCount: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number().int(),
});

export function fromReviewDoc(doc: ReviewDoc): Review {
  const d = LiveDoc.parse(doc);
  return {
    id: d._id,
    productSku: d.productSku,
    authorId: d.authorId,
    authorName: d.authorName,
    rating: d.rating,
    title: d.title,
    body: d.body,
    status: d.status,
    verifiedPurchase: d.verifiedPurchase,
    helpfulCount: d.helpfulCount,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    version: d.version,
  };
}

export function toReviewDoc(r: Review, helpfulBy: readonly string[]): ReviewDoc {
  return {
    _id: r.id,
    productSku: r.productSku,
    authorId: r.authorId,
    authorName: r.authorName,
    rating: r.rating,
    title: r.title,
    body: r.body,
    status: r.status,
    verifiedPurchase: r.verifiedPurchase,
    helpfulCount: helpfulBy.length,
    helpfulBy: [...helpfulBy],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function tombstone(doc: ReviewDoc, at: Date): ReviewDoc {
  return {
    _id: doc._id,
    productSku: doc.productSku,
    authorId: `deleted:${doc._id}`,
    deleted: true,
    updatedAt: at,
    version: doc.version + 1,
  };
}
