/**
 * The demo reviews: six customers review most published products (deterministically), and
 * two of them first buy some of what they review, so those reviews are verified purchases.
 * Ratings are never seeded: the reviews feed recomputes them from these reviews. Safe to run
 * again (existing customers, orders and reviews are kept). Ids are fixed strings, so seeding
 * takes nothing from the id generator.
 */
import type { Ports } from "../../application/use_cases.ts";
import type { Product } from "../../domain/catalog/product.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import { liveVariants, skusOf } from "../../domain/catalog/variant.ts";
import { ReviewExists } from "../../domain/errors.ts";
import { newReview } from "../../domain/reviews/review.ts";

export const SEED_REVIEWERS = [
  { id: "seed-reviewer-1", email: "maya.reviewer@polycart.example", displayName: "Maya R." },
  { id: "seed-reviewer-2", email: "tom.reviewer@polycart.example", displayName: "Tom K." },
  { id: "seed-reviewer-3", email: "ines.reviewer@polycart.example", displayName: "Inès D." },
  { id: "seed-reviewer-4", email: "sam.reviewer@polycart.example", displayName: "Sam O." },
  { id: "seed-reviewer-5", email: "lee.reviewer@polycart.example", displayName: "Lee W." },
  { id: "seed-reviewer-6", email: "noor.reviewer@polycart.example", displayName: null },
] as const;

/** Reviewers 1 and 2 buy this many of the products they review first. */
const PURCHASES_PER_BUYER = 4;
const DAY_MS = 86_400_000;

const PRAISE = [
  ["Exactly as described", "Arrived quickly and works perfectly. Would buy again."],
  ["Great value", "Does everything I need for the price. Build quality is better than expected."],
  ["Love it", "Been using it daily for weeks and still impressed."],
] as const;
const FAIR = [
  ["Good, not great", "Solid overall, but a couple of rough edges I did not expect."],
  ["Decent", "Works fine. The description oversells it slightly."],
] as const;
const POOR = [
  ["Disappointed", "Stopped working properly after a few days; support was slow."],
  ["Not for me", "Quality does not match the photos. Returning it."],
] as const;

/** Stars for the `n`th review of the `i`th product: some all-5, a few poorly rated ones. */
function starsFor(i: number, n: number): number {
  if (i % 4 === 0) return 5;
  if (i % 11 === 3) return 1 + ((i + n) % 3);
  return 3 + ((i * 3 + n * 2) % 3);
}

function textFor(stars: number, i: number): readonly [string, string] {
  const pool = stars >= 4 ? PRAISE : stars === 3 ? FAIR : POOR;
  return pool[i % pool.length];
}

/**
 * `purchases`: also place and confirm the demo buyers' orders (verified purchases). Off for the
 * test harness, whose order counts and stock figures predate the reviews.
 */
export async function seedReviews(
  ports: Ports,
  products: readonly Product[],
  options: { readonly purchases?: boolean } = {},
): Promise<number> {
  const now = ports.clock.now();
  for (const r of SEED_REVIEWERS) {
    if (await ports.users.get(r.id)) continue;
    // No password can match this hash: the demo reviewers cannot log in.
    await ports.users.create({
      id: r.id,
      email: r.email,
      displayName: r.displayName,
      role: "customer",
      createdAt: new Date(now.getTime() - 120 * DAY_MS),
      passwordHash: "!seeded-reviewer",
    });
  }
  const visible = products.filter((p) => isPublished(p.publishedAt, now));
  if (options.purchases) await seedPurchases(ports, visible, now);
  let written = 0;
  for (const [i, product] of visible.entries()) {
    const count = i % 5; // 0..4 reviews
    for (let n = 0; n < count; n++) {
      const reviewer = SEED_REVIEWERS[(i + n) % SEED_REVIEWERS.length];
      const stars = starsFor(i, n);
      const [title, body] = textFor(stars, i + n);
      const at = new Date(now.getTime() - ((i * 5 + n * 13) % 60 + 1) * DAY_MS);
      try {
        await ports.reviews.create(newReview({
          id: `seed-review-${product.sku}-${n + 1}`,
          productSku: product.sku,
          authorId: reviewer.id,
          authorName: reviewer.displayName ?? "Customer",
          content: { rating: stars, title, body },
          verifiedPurchase: await ports.orders.hasPurchased(reviewer.id, skusOf(product)),
          requireApproval: false,
          at,
        }));
        written++;
      } catch (error) {
        if (!(error instanceof ReviewExists)) throw error;
      }
    }
  }
  return written;
}

/**
 * Reviewers 1 and 2 buy one unit of the first products they review that are in stock: an order
 * placed and paid an hour after the product went on sale, more than 30 days ago (outside the
 * default revenue window), confirmed through the store.
 */
async function seedPurchases(ports: Ports, visible: readonly Product[], now: Date): Promise<void> {
  for (const buyer of [0, 1]) {
    const reviewer = SEED_REVIEWERS[buyer];
    let bought = 0;
    for (const [i, product] of visible.entries()) {
      if (bought >= PURCHASES_PER_BUYER) break;
      const reviews = i % 5;
      const reviewsIt = Array.from({ length: reviews }, (_, n) => (i + n) % SEED_REVIEWERS.length)
        .includes(buyer);
      // On sale for more than 31 days: bought after it went on sale, before the revenue window.
      const since = product.publishedAt!.getTime();
      if (!reviewsIt || since > now.getTime() - 31 * DAY_MS) continue;
      const sku = liveVariants(product)[0]?.sku ?? product.sku;
      const row = await ports.inventory.get(sku);
      if (!row || !row.active || row.stock - row.reserved < 5) continue;
      bought++;
      if (await ports.orders.hasPurchased(reviewer.id, skusOf(product))) continue;
      const placedAt = new Date(since + 3_600_000);
      const order = await ports.orders.place({
        id: `seed-order-${reviewer.id}-${sku}`,
        userId: reviewer.id,
        lines: [{ sku, qty: 1 }],
        createdAt: placedAt,
        expiresAt: new Date(placedAt.getTime() + 15 * 60_000),
        source: "items",
        maxPendingPerUser: 3,
      });
      await ports.orders.confirmPayment({
        id: `seed-payment-${reviewer.id}-${sku}`,
        orderId: order.id,
        userId: reviewer.id,
        status: "succeeded",
        amountCents: order.totalCents,
        currency: order.currency,
        provider: "test",
        providerRef: `seed_ch_${reviewer.id}_${sku}`,
        failureReason: null,
        processedAt: new Date(placedAt.getTime() + 60_000),
      });
    }
  }
}
