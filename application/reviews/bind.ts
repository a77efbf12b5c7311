/** The review use cases (and the reviewer's display name), bound to their ports. */
import type { PageRequest } from "../../domain/pagination.ts";
import type { ReviewContent, ReviewListQuery, ReviewStatus } from "../../domain/reviews/review.ts";
import type { Ports, Settings } from "../use_case_ports.ts";
import * as reviews from "./reviews.ts";

export function bindReviews(p: Ports, settings: Settings) {
  const reviewDeps = { ...p, requireApproval: settings.reviewsRequireApproval ?? false };
  return {
    updateProfile: (userId: string, input: { displayName: string | null }) =>
      reviews.updateProfile(reviewDeps, { userId, ...input }),
    writeReview: (userId: string, sku: string, content: ReviewContent) =>
      reviews.writeReview(reviewDeps, { userId, sku, content }),
    editReview: (userId: string, id: string, patch: Partial<ReviewContent>) =>
      reviews.editReview(reviewDeps, { userId, id, patch }),
    deleteReview: (userId: string, id: string) => reviews.deleteReview(reviewDeps, { userId, id }),
    listProductReviews: (sku: string, query: ReviewListQuery) =>
      reviews.listProductReviews(reviewDeps, sku, query),
    markReviewHelpful: (userId: string, id: string) =>
      reviews.markHelpful(reviewDeps, { userId, id }),
    listReviewsByStatus: (status: ReviewStatus, page: PageRequest) =>
      reviews.listReviewsByStatus(reviewDeps, status, page),
    moderateReview: (id: string, status: "published" | "rejected") =>
      reviews.moderateReview(reviewDeps, { id, status }),
  };
}
