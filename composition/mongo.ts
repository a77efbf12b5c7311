/**
 * MongoDB: the catalog, the category tree, reviews and vendors with their change streams, or
 * the memory stand-ins (one change log for all four) when MONGO_URL is unset.
 */
import type { Config } from "../config.ts";
import type { Ports } from "../application/use_cases.ts";
import type { Clock } from "../ports/clock.ts";
import { MemoryCatalog } from "../adapters/memory/catalog.ts";
import { MemoryCategories } from "../adapters/memory/categories.ts";
import { MemoryChangeLog } from "../adapters/memory/change_feed.ts";
import { MemoryReviews } from "../adapters/memory/reviews.ts";
import { MemoryVendors } from "../adapters/memory/vendors.ts";
import { createMongoClient } from "../adapters/mongo/client.ts";
import { MongoCatalog } from "../adapters/mongo/catalog.ts";
import { MongoCategories } from "../adapters/mongo/categories.ts";
import { MongoReviews } from "../adapters/mongo/reviews.ts";
import { MongoVendors } from "../adapters/mongo/vendors.ts";
import { MongoChangeFeed } from "../adapters/mongo/change_feed.ts";
import { MongoHealthCheck } from "../adapters/mongo/health.ts";
import type { Contribution } from "./contribution.ts";

/** The ports MongoDB (or its stand-in) serves. */
export type MongoPorts = Pick<Ports, "catalog" | "categories" | "reviews" | "vendors">;

export function mongoWiring(config: Config, clock: Clock): Contribution<MongoPorts> {
  if (!config.MONGO_URL) {
    const log = new MemoryChangeLog("catalog");
    const ports = {
      catalog: new MemoryCatalog({ changes: log, clock }),
      categories: new MemoryCategories({ changes: log, clock }),
      reviews: new MemoryReviews({ changes: log }),
      vendors: new MemoryVendors({ changes: log, clock }),
    };
    return {
      ports,
      feeds: [log],
      health: [],
      closers: [],
      adapters: { mongodbStandIn: "memory: catalog, categories, reviews, vendors" },
    };
  }
  const client = createMongoClient(config.MONGO_URL);
  const db = client.db(config.MONGO_DB);
  const feed = new MongoChangeFeed(db, { name: "catalog" });
  const categoryFeed = new MongoChangeFeed(db, {
    name: "categories",
    collection: "categories",
    source: "category",
  });
  // Reviews: their change stream recomputes the products' ratings.
  const reviewFeed = new MongoChangeFeed(db, {
    name: "reviews",
    collection: "reviews",
    source: "review",
  });
  // Vendors: their change stream updates the products' vendor copies and the vendor index.
  const vendorFeed = new MongoChangeFeed(db, {
    name: "vendors",
    collection: "vendors",
    source: "vendor",
  });
  const ports = {
    catalog: new MongoCatalog(db),
    categories: new MongoCategories(db),
    reviews: new MongoReviews(db),
    vendors: new MongoVendors(db),
  };
  return {
    ports,
    feeds: [feed, categoryFeed, reviewFeed, vendorFeed],
    health: [new MongoHealthCheck(db)],
    closers: [async () => {
      await feed.close();
      await categoryFeed.close();
      await reviewFeed.close();
      await vendorFeed.close();
      await client.close();
    }],
    adapters: { mongodb: "catalog, categories, reviews, vendors, their change streams" },
  };
}
