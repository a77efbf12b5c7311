/**
 * Which applier an event goes to, by its source: products (catalog and inventory events),
 * categories, orders, reviews, users and vendors. Each applier lives in its own context.
 */
import type { FacetableByCategory } from "../../domain/catalog/category.ts";
import type { ChangeEvent } from "../../ports/search/change_feed.ts";
import { applyCategoryChange } from "../catalog/category_sync.ts";
import { applyVendorChange } from "../vendors/vendor_sync.ts";
import { applyOrderChange } from "../support/order_sync.ts";
import { applyReviewChange, applyUserChange } from "../reviews/review_sync.ts";
import { applyChange } from "./sync_product.ts";
import type { SyncDeps } from "./sync_deps.ts";

/** Applies one event once; `tree`: the batch's facetable attributes per category. */
export async function applyEvent(
  deps: SyncDeps,
  event: ChangeEvent,
  tree: () => Promise<FacetableByCategory>,
): Promise<void> {
  if (event.source === "category") await applyCategoryChange(deps, event.sku);
  else if (event.source === "order") await applyOrderChange(deps, event.sku);
  else if (event.source === "review") await applyReviewEvent(deps, event.sku);
  else if (event.source === "user") await applyUserEvent(deps, event.sku);
  else if (event.source === "vendor") await applyVendorEvent(deps, event.sku);
  else await applyChange(deps, event.sku, await tree());
}

async function applyReviewEvent(deps: SyncDeps, reviewId: string): Promise<void> {
  if (deps.reviews) await applyReviewChange({ ...deps, reviews: deps.reviews }, reviewId);
}

async function applyUserEvent(deps: SyncDeps, userId: string): Promise<void> {
  if (deps.reviews && deps.users) {
    await applyUserChange({ ...deps, reviews: deps.reviews, users: deps.users }, userId);
  }
}

/** A vendor event, where the vendor ports are wired (else there is nothing to update). */
async function applyVendorEvent(deps: SyncDeps, id: string): Promise<void> {
  if (!deps.vendors || !deps.vendorIndex) return;
  await applyVendorChange({ ...deps, vendors: deps.vendors, vendorIndex: deps.vendorIndex }, id);
}
