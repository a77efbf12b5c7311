import { reviewsContract } from "../../ports/contracts/reviews_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { MongoChangeFeed } from "./change_feed.ts";
import { MongoReviews } from "./reviews.ts";
import { openDatabase } from "./_test_fixture.ts";

const url = integrationUrl("MONGO_URL");

reviewsContract("MongoReviews", async () => {
  const { db, close } = await openDatabase(url!);
  const reviews = new MongoReviews(db);
  await reviews.ensureIndexes();
  const feed = new MongoChangeFeed(db, {
    name: "reviews",
    collection: "reviews",
    source: "review",
  });
  return {
    subject: { reviews, feed },
    close: async () => {
      await feed.close();
      await close();
    },
  };
}, { ignore: url === undefined });
