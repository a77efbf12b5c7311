import { z } from "zod";
import { count, doc, queryInt } from "./_common.ts";

// ---- Leaderboards ----

export const ProductLeaderboardQuery = z.object({
  period: z.enum(["daily"]).default("daily"),
  day: doc(z.iso.date(), { description: "UTC day (YYYY-MM-DD); defaults to today." })
    .optional(),
  limit: queryInt(1, 100, "At most this many entries.").default(10),
});

export const CustomerLeaderboardQuery = z.object({
  limit: queryInt(1, 100, "At most this many entries.").default(10),
});

export const ProductLeaderboard = doc(
  z.object({
    period: z.enum(["daily"]),
    day: z.string(),
    items: z.array(z.object({
      sku: z.string(),
      name: z.string().nullable(),
      score: count().describe("Units sold."),
      rank: z.int().min(1),
    })),
  }),
  { id: "ProductLeaderboard" },
);

export const CustomerLeaderboard = doc(
  z.object({
    items: z.array(z.object({
      displayName: z.string().nullable().describe("Public name; user ids and emails stay private."),
      score: count().describe("Loyalty points."),
      rank: z.int().min(1),
    })),
  }),
  { id: "CustomerLeaderboard" },
);
