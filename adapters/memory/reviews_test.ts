import { reviewsContract } from "../../ports/contracts/reviews_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryReviews } from "./reviews.ts";

reviewsContract("MemoryReviews", () => {
  const feed = new MemoryChangeLog("reviews");
  return Promise.resolve({
    subject: { reviews: new MemoryReviews({ changes: feed }), feed },
    close: () => Promise.resolve(),
  });
});
