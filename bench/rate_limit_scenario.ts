/**
 * The rate-limit scenario: the cached product route with the rate limiter on against the same
 * route with RATE_LIMIT_ENABLED=0, and the limiter's Redis commands per request (MONITOR).
 * Target >= 0.9x.
 */
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import { productSpec, redisPerRequest } from "./_requests.ts";
import type { ScenarioResult } from "./result.ts";
import { atLeast, atMost, exactly, ratio } from "./stats.ts";

export async function rateLimitScenario(ctx: Ctx): Promise<ScenarioResult> {
  // Both sides on a process just started: the side measured on the API that the earlier
  // scenarios left behind (10,000 users' sessions, limiter keys and a grown heap) cost about
  // 157 µs a request against 88 for the restarted one, most of it not the limiter's.
  await ctx.restartApi({});
  const { side: on } = await measureHttp(
    ctx,
    productSpec(ctx),
    "limiter on",
    ctx.api(),
    ["redis"],
  );
  const onTrips = await redisPerRequest(ctx, 1_000);
  await ctx.restartApi({ RATE_LIMIT_ENABLED: "0" });
  const { side: off } = await measureHttp(
    ctx,
    productSpec(ctx),
    "limiter off",
    ctx.api(),
    ["redis"],
  );
  const offTrips = await redisPerRequest(ctx, 1_000);
  const evalsha = (trips: Record<string, number>) => trips["limiter evalsha"] ?? 0;
  const other = (trips: Record<string, number>) =>
    Object.entries(trips).filter(([k]) => k.startsWith("limiter") && k !== "limiter evalsha")
      .reduce((sum, [, v]) => sum + v, 0);
  return scenario(
    "ratelimit",
    on,
    off,
    [
      atLeast("ratio", ratio(on.throughput, off.throughput), 0.9),
      atMost("limiter round trips (EVALSHA)", evalsha(onTrips), 0.1, "per request", 2),
      exactly("other limiter commands per request", other(onTrips), 0),
      exactly(
        "limiter commands per request when off",
        evalsha(offTrips) + other(offTrips),
        0,
      ),
      noFailures("API", on),
    ],
    {
      "Redis commands per request, limiter on": Object.entries(onTrips)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "),
      "Redis commands per request, limiter off": Object.entries(offTrips)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", "),
    },
    [
      "One client address sends everything, so every request hits one sliding-window key " +
      "(RATE_LIMIT_MAX=1e9, RATE_LIMIT_WINDOW_S=5: never limited, five seconds of hits kept).",
      "The API's local allowance claims that key's hits in batches growing to " +
      "RATE_LIMIT_BATCH_MAX (64) per EVALSHA, each spent within a 250 ms lease (a twentieth of " +
      "the window, at most 250 ms, as with the default 60 s window); the limiter commands " +
      "counted above (MONITOR) are those claims.",
      "Each side runs on an API process started for it.",
    ],
  );
}
