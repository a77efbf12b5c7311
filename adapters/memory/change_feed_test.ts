import { changeFeedContract } from "../../ports/contracts/change_feed_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";

changeFeedContract("MemoryChangeLog", () => {
  const log = new MemoryChangeLog("catalog");
  return Promise.resolve({
    subject: {
      feed: log,
      source: "catalog" as const,
      emit: (sku: string, at: Date) => {
        log.append("catalog", sku, at);
        return Promise.resolve();
      },
    },
    close: () => Promise.resolve(),
  });
});
