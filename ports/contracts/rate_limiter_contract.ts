import assert from "node:assert/strict";
import type { RateLimiter } from "../rate_limiter.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `RateLimiter` keeps. Times are passed in, based on the real clock so a
 * server-side key expiry never interferes; each step uses its own keys.
 */
export function rateLimiterContract(
  label: string,
  make: MakeFixture<RateLimiter>,
  options: ContractOptions = {},
): void {
  defineContract("RateLimiter", label, make, options, async (run) => {
    const step = (name: string, body: (limiter: RateLimiter, key: string) => Promise<void>) =>
      run(name, (limiter) => body(limiter, `contract:${crypto.randomUUID()}`));

    await step(
      "limit + k concurrent hits in one instant: exactly limit allowed",
      async (limiter, key) => {
        const now = new Date();
        const decisions = await Promise.all(
          Array.from({ length: 8 }, () => limiter.hit(key, 5, 60_000, now)),
        );
        const allowed = decisions.filter((d) => d.allowed);
        const denied = decisions.filter((d) => !d.allowed);
        assert.equal(allowed.length, 5);
        assert.deepEqual(allowed.map((d) => d.remaining).sort(), [0, 1, 2, 3, 4]);
        assert.deepEqual(denied.map((d) => d.remaining), [0, 0, 0]);
        for (const d of decisions) {
          assert.equal(d.limit, 5);
          assert.equal(d.resetMs, 60_000, "the oldest counted hit is now");
        }
      },
    );

    await step(
      "remaining counts down and resetMs tracks the oldest hit",
      async (limiter, key) => {
        const t0 = Date.now();
        const hit = (at: number) => limiter.hit(key, 3, 10_000, new Date(t0 + at));
        assert.deepEqual(await hit(0), {
          allowed: true,
          limit: 3,
          remaining: 2,
          resetMs: 10_000,
        });
        assert.deepEqual(await hit(1_000), {
          allowed: true,
          limit: 3,
          remaining: 1,
          resetMs: 9_000,
        });
        assert.deepEqual(await hit(2_500), {
          allowed: true,
          limit: 3,
          remaining: 0,
          resetMs: 7_500,
        });
        assert.deepEqual(await hit(4_000), {
          allowed: false,
          limit: 3,
          remaining: 0,
          resetMs: 6_000,
        });
      },
    );

    await step(
      "the window slides: a hit counts for windowMs, denials never count",
      async (limiter, key) => {
        const t0 = Date.now();
        const hit = (at: number) => limiter.hit(key, 2, 1_000, new Date(t0 + at));
        assert.equal((await hit(0)).allowed, true);
        assert.equal((await hit(400)).allowed, true);
        const full = await hit(600);
        assert.deepEqual([full.allowed, full.remaining, full.resetMs], [false, 0, 400]);
        assert.equal((await hit(999)).allowed, false, "the first hit still counts at 999 ms");
        const slid = await hit(1_000);
        assert.deepEqual([slid.allowed, slid.remaining, slid.resetMs], [true, 0, 400]);
        const again = await hit(1_200);
        assert.deepEqual([again.allowed, again.resetMs], [false, 200]);
        assert.equal(
          (await hit(1_400)).allowed,
          true,
          "the 400 ms hit left; denials did not count",
        );
        assert.equal((await hit(3_000)).remaining, 1, "a quiet window starts afresh");
      },
    );

    await step("keys are counted separately", async (limiter, key) => {
      const now = new Date();
      assert.equal((await limiter.hit(key, 1, 60_000, now)).allowed, true);
      assert.equal((await limiter.hit(key, 1, 60_000, now)).allowed, false);
      assert.equal((await limiter.hit(`${key}:other`, 1, 60_000, now)).allowed, true);
    });
  });
}
