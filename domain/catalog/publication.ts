/**
 * When a product may be seen and sold. A product is published, visible and sellable, only
 * once `publishedAt` is set and not in the future; before that it is a draft (`null`) or
 * scheduled (a future time). Callers pass the clock's `now`: nothing here reads the time, so
 * a scheduled product goes live at its time without another write.
 */
export const PUBLICATION_STATUSES = ["draft", "scheduled", "published"] as const;
export type PublicationStatus = typeof PUBLICATION_STATUSES[number];

export function isPublished(publishedAt: Date | null, now: Date): boolean {
  return publishedAt !== null && publishedAt.getTime() <= now.getTime();
}

export function publicationStatus(publishedAt: Date | null, now: Date): PublicationStatus {
  if (publishedAt === null) return "draft";
  return isPublished(publishedAt, now) ? "published" : "scheduled";
}

/** Only products in `status` at `at`: browse asks for `published` at the clock's now. */
export interface PublicationFilter {
  readonly status: PublicationStatus;
  readonly at: Date;
}

export function matchesPublication(publishedAt: Date | null, filter: PublicationFilter): boolean {
  return publicationStatus(publishedAt, filter.at) === filter.status;
}
