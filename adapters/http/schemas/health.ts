import { z } from "zod";
import { count, doc } from "./_common.ts";

// ---- Health ----

export const Health = doc(z.object({ status: z.literal("ok") }), { id: "Health" });

export const Readiness = doc(
  z.object({
    status: z.enum(["ready", "degraded"]).describe("degraded: a non-critical dependency is down."),
    checks: z.array(z.object({
      name: z.string(),
      critical: z.boolean(),
      status: z.enum(["ok", "down"]),
      latencyMs: count(),
    })),
  }),
  { id: "Readiness" },
);
