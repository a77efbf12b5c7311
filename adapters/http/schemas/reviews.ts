import { z } from "zod";
import {
  BODY_MAX,
  RATING_MAX,
  RATING_MIN,
  REVIEW_SORTS,
  REVIEW_STATUSES,
  TITLE_MAX,
} from "../../../domain/reviews/review.ts";
import {
  count,
  doc,
  isoDateTime,
  Label,
  pageOf,
  PageQuery,
  queryInt,
  ResourceId,
} from "./_common.ts";

// ---- Reviews ----

const Rating = doc(z.int().min(RATING_MIN).max(RATING_MAX), {
  description: `Stars, a whole number from ${RATING_MIN} to ${RATING_MAX}.`,
  examples: [5],
});
const Title = doc(Label(TITLE_MAX), { description: `1-${TITLE_MAX} characters.` });
const Body = doc(Label(BODY_MAX), { description: `1-${BODY_MAX} characters.` });

export const ReviewIdParams = z.object({ id: ResourceId });

export const CreateReviewRequest = doc(
  z.strictObject({ rating: Rating, title: Title, body: Body }),
  { id: "CreateReviewRequest" },
);

export const UpdateReviewRequest = doc(
  z.strictObject({ rating: Rating.optional(), title: Title.optional(), body: Body.optional() })
    .refine((b) => Object.values(b).some((v) => v !== undefined), {
      message: "change at least one of rating, title, body",
    }),
  { id: "UpdateReviewRequest" },
);

export const ReviewListQuery = PageQuery.extend({
  sort: doc(z.enum(REVIEW_SORTS).default("newest"), {
    description: "`newest` first (default), most `helpful` first, or by stars.",
  }),
  rating: queryInt(RATING_MIN, RATING_MAX, "Only reviews giving exactly this many stars.")
    .optional(),
});

export const ReviewStatusQuery = PageQuery.extend({
  status: doc(z.enum(REVIEW_STATUSES).default("pending"), {
    description: "Moderation status to list (default `pending`, the queue).",
  }),
});

export const Review = doc(
  z.object({
    id: z.string(),
    rating: Rating,
    title: z.string(),
    body: z.string(),
    author: z.object({
      displayName: z.string().describe("The author's display name (follows renames)."),
    }),
    verifiedPurchase: z.boolean().describe(
      "The author had a confirmed, shipped or delivered order of the product (or one of its " +
        "variants) when the review was written or last edited.",
    ),
    helpfulCount: count().describe("Customers who found it helpful (each counted once)."),
    createdAt: isoDateTime("When it was written."),
    updatedAt: isoDateTime("Its author's last edit."),
  }),
  { id: "Review" },
);

/** What the author and admins see: the public review plus its product and status. */
export const ReviewDetail = doc(
  Review.extend({
    productSku: z.string(),
    status: z.enum(REVIEW_STATUSES).describe(
      "`pending` until an admin approves it (only with REVIEWS_REQUIRE_APPROVAL), " +
        "`published`, or `rejected`.",
    ),
  }),
  { id: "ReviewDetail" },
);

export const HelpfulResult = doc(
  z.object({
    review: ReviewDetail,
    counted: z.boolean().describe("False when this customer had already voted: nothing changed."),
  }),
  { id: "HelpfulResult" },
);

export const ReviewPage = pageOf(Review, "ReviewPage");
export const ReviewDetailPage = pageOf(ReviewDetail, "ReviewDetailPage");

export const UpdateProfileRequest = doc(
  z.strictObject({
    displayName: doc(Label(100).nullable(), {
      description: "The name shown on your reviews; null shows a generic one.",
      examples: ["Grace Hopper"],
    }),
  }),
  { id: "UpdateProfileRequest" },
);
