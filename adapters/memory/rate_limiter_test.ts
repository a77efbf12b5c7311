import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { rateLimiterContract } from "../../ports/contracts/rate_limiter_contract.ts";
import { Outage } from "./outage.ts";
import { MemoryRateLimiter } from "./rate_limiter.ts";

rateLimiterContract(
  "MemoryRateLimiter",
  () => Promise.resolve({ subject: new MemoryRateLimiter(), close: () => Promise.resolve() }),
);

Deno.test("MemoryRateLimiter", async (t) => {
  await t.step("never allows more than limit in any window of a long run", async () => {
    const limiter = new MemoryRateLimiter();
    const allowedAt: number[] = [];
    for (let ms = 0; ms < 10_000; ms += 7) {
      if ((await limiter.hit("k", 10, 1_000, new Date(ms))).allowed) allowedAt.push(ms);
    }
    for (const start of allowedAt) {
      const inWindow = allowedAt.filter((t) => t >= start && t < start + 1_000).length;
      assert.ok(inWindow <= 10, `window from ${start} holds ${inWindow}`);
    }
    assert.equal(allowedAt.length, 100, "ten full windows, ten each");
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const limiter = new MemoryRateLimiter({ outage: new Outage(true) });
    await assert.rejects(
      limiter.hit("k", 1, 1_000, new Date()),
      (e) => e instanceof DependencyUnavailable && e.dependency === "redis",
    );
  });
});
