import { changeFeedContract } from "../../ports/contracts/change_feed_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryCategories } from "./categories.ts";

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

// The category tree's writes, reported by MemoryCategories on the same kind of log.
changeFeedContract("MemoryChangeLog fed by MemoryCategories", () => {
  const log = new MemoryChangeLog("catalog");
  const categories = new MemoryCategories({ changes: log });
  return Promise.resolve({
    subject: {
      feed: log,
      source: "category" as const,
      emit: async (slug: string, at: Date) => {
        const existing = await categories.get(slug);
        if (existing) await categories.replace({ ...existing, updatedAt: at });
        else {
          await categories.create({
            slug,
            name: slug,
            parent: null,
            path: slug,
            attributes: [],
            updatedAt: at,
            version: 1,
          });
        }
      },
    },
    close: () => Promise.resolve(),
  });
});
