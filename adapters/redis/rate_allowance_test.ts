import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { rateLimiterContract } from "../../ports/contracts/rate_limiter_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { redisTargets } from "./_test_targets.ts";
import { tap, testRedis } from "./_testing.ts";
import { LocalAllowanceRateLimiter, nextClaimSize } from "./rate_allowance.ts";
import {
  type RateClaim,
  type RateClaimer,
  type RateRelease,
  RedisRateLimiter,
} from "./rate_limiter.ts";

const url = integrationUrl("REDIS_URL");

/** The claim script's rule in memory, recording each call and how many ran at once. */
class FakeClaimer implements RateClaimer {
  readonly calls: { key: string; wanted: number; release?: RateRelease }[] = [];
  readonly logs = new Map<string, { member: string; at: number }[]>();
  inFlight = 0;
  maxInFlight = 0;
  failWith: Error | null = null;
  #ids = 0;

  async claim(
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
    wanted: number,
    release?: RateRelease,
  ): Promise<RateClaim> {
    this.calls.push({ key, wanted, release });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.inFlight -= 1;
    if (this.failWith) throw this.failWith;
    const at = now.getTime();
    const released = new Set(
      Array.from({ length: release?.unspent ?? 0 }, (_, i) => `${release!.claimId}:${i}`),
    );
    const log = (this.logs.get(key) ?? [])
      .filter((e) => !released.has(e.member) && e.at > at - windowMs);
    const claimId = `c${++this.#ids}`;
    const granted = Math.max(0, Math.min(wanted, limit - log.length));
    for (let i = 0; i < granted; i++) log.push({ member: `${claimId}:${i}`, at });
    this.logs.set(key, log);
    const oldest = Math.min(...log.map((e) => e.at));
    const resetMs = log.length ? Math.max(0, oldest + windowMs - at) : 0;
    return { claimId, granted, count: log.length, resetMs };
  }
}

Deno.test("nextClaimSize()", async (t) => {
  const far = 1_000_000;
  await t.step("a new key claims one", () => {
    assert.equal(nextClaimSize(undefined, 0, far, 64), 1);
  });
  await t.step("spent within its lease: twice the last, up to maxBatch", () => {
    assert.equal(nextClaimSize({ size: 1, tokens: 0, leaseUntil: 100 }, 50, far, 64), 2);
    assert.equal(nextClaimSize({ size: 16, tokens: 0, leaseUntil: 100 }, 50, far, 64), 32);
    assert.equal(nextClaimSize({ size: 64, tokens: 0, leaseUntil: 100 }, 50, far, 64), 64);
    assert.equal(nextClaimSize({ size: 4, tokens: 0, leaseUntil: 100 }, 50, far, 5), 5);
  });
  await t.step("lease ran out with hits unspent: back to one", () => {
    assert.equal(nextClaimSize({ size: 64, tokens: 3, leaseUntil: 100 }, 100, far, 64), 1);
  });
  await t.step("lease ran out all spent (a slow key): the same size", () => {
    assert.equal(nextClaimSize({ size: 1, tokens: 0, leaseUntil: 100 }, 5_000, far, 64), 1);
    assert.equal(nextClaimSize({ size: 8, tokens: 0, leaseUntil: 100 }, 100, far, 64), 8);
    assert.equal(nextClaimSize({ size: 0, tokens: 0, leaseUntil: 100 }, 100, far, 64), 1);
  });
  await t.step("at least the hits waiting for it, within the caps", () => {
    assert.equal(nextClaimSize(undefined, 0, far, 64, 40), 40);
    assert.equal(nextClaimSize(undefined, 0, far, 64, 500), 64);
    assert.equal(nextClaimSize(undefined, 0, 80, 64, 40), 10, "an eighth of 80 left");
  });

  await t.step("never more than an eighth of the remaining hits, at least one", () => {
    const live = { size: 64, tokens: 0, leaseUntil: 100 };
    assert.equal(nextClaimSize(live, 50, 80, 64), 10);
    assert.equal(nextClaimSize(live, 50, 15, 64), 1);
    assert.equal(nextClaimSize(live, 50, 0, 64), 1);
    assert.equal(nextClaimSize(live, 50, -3, 64), 1);
  });
});

rateLimiterContract(
  "LocalAllowanceRateLimiter over the claim rule in memory",
  () =>
    Promise.resolve({
      subject: new LocalAllowanceRateLimiter(new FakeClaimer()),
      close: () => Promise.resolve(),
    }),
);

Deno.test("LocalAllowanceRateLimiter (claim rule in memory)", async (t) => {
  const t0 = Date.now();

  await t.step("a hot key's claims grow to maxBatch while its leases are spent", async () => {
    const claimer = new FakeClaimer();
    const limiter = new LocalAllowanceRateLimiter(claimer, { maxBatch: 16, leaseMs: 100 });
    for (let i = 0; i < 100; i++) {
      assert.equal((await limiter.hit("k", 1_000_000, 60_000, new Date(t0))).allowed, true);
    }
    assert.deepEqual(claimer.calls.map((c) => c.wanted), [1, 2, 4, 8, 16, 16, 16, 16, 16, 16]);
    assert.ok(claimer.calls.every((c) => !c.release));
  });

  await t.step("remaining and resetMs as if each hit had asked Redis", async () => {
    const limiter = new LocalAllowanceRateLimiter(new FakeClaimer(), { leaseMs: 1_000 });
    const seen = [];
    for (let i = 0; i < 12; i++) {
      seen.push(await limiter.hit("k", 800, 10_000, new Date(t0 + i * 10)));
    }
    assert.deepEqual(seen.map((d) => d.remaining), Array.from({ length: 12 }, (_, i) => 799 - i));
    assert.deepEqual(
      seen.map((d) => d.resetMs),
      Array.from({ length: 12 }, (_, i) => 10_000 - i * 10),
    );
  });

  await t.step("a lease ending unspent releases its rest at the next claim", async () => {
    const claimer = new FakeClaimer();
    const limiter = new LocalAllowanceRateLimiter(claimer, { leaseMs: 50 });
    for (let i = 0; i < 4; i++) await limiter.hit("k", 1_000, 60_000, new Date(t0)); // 1 + 2 + 4
    assert.equal(claimer.logs.get("k")!.length, 7);
    await limiter.hit("k", 1_000, 60_000, new Date(t0 + 50));
    const last = claimer.calls.at(-1)!;
    assert.deepEqual([last.wanted, last.release], [1, { claimId: "c3", unspent: 3 }]);
    assert.equal(claimer.logs.get("k")!.length, 5, "4 spent, then 1 more");
  });

  await t.step("concurrent hits share one claim in flight per key", async () => {
    const claimer = new FakeClaimer();
    const limiter = new LocalAllowanceRateLimiter(claimer);
    const decisions = await Promise.all(
      Array.from({ length: 300 }, () => limiter.hit("k", 100, 60_000, new Date(t0))),
    );
    const allowed = decisions.filter((d) => d.allowed);
    assert.deepEqual(
      allowed.map((d) => d.remaining).sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
      "each allowed hit saw its own slot",
    );
    assert.equal(claimer.maxInFlight, 1);
    assert.ok(claimer.calls.length < 40, `${claimer.calls.length} claims`);
    assert.equal(claimer.logs.get("k")!.length, 100);
  });

  await t.step(
    "a burst waiting for a claim is served by claims sized to it, older hits included",
    async () => {
      const claimer = new FakeClaimer();
      const limiter = new LocalAllowanceRateLimiter(claimer, { maxBatch: 64, leaseMs: 50 });
      // 200 hits whose times go back and forth within the lease, as requests started at
      // different instants resume after the same claim.
      const decisions = await Promise.all(
        Array.from(
          { length: 200 },
          (_, i) => limiter.hit("k", 1_000_000, 60_000, new Date(t0 + (i % 7) * 3)),
        ),
      );
      assert.ok(decisions.every((d) => d.allowed));
      assert.deepEqual(claimer.calls.map((c) => c.wanted), [1, 64, 64, 64, 64]);
      assert.equal(claimer.logs.get("k")!.length, 257, "200 spent, 57 left for the lease");
    },
  );

  await t.step("a denial is kept for the lease or until the oldest hit leaves", async () => {
    const claimer = new FakeClaimer();
    const limiter = new LocalAllowanceRateLimiter(claimer, { leaseMs: 100 });
    await limiter.hit("k", 1, 60_000, new Date(t0));
    const denied = await limiter.hit("k", 1, 60_000, new Date(t0 + 10));
    assert.deepEqual([denied.allowed, denied.remaining, denied.resetMs], [false, 0, 59_990]);
    const local = await limiter.hit("k", 1, 60_000, new Date(t0 + 109));
    assert.deepEqual([local.allowed, local.resetMs], [false, 59_891]);
    assert.equal(claimer.calls.length, 2);
    await limiter.hit("k", 1, 60_000, new Date(t0 + 110));
    assert.equal(claimer.calls.length, 3, "the denial lasted its lease");
  });

  await t.step(
    "a failing claim fails every hit waiting for it; the next one asks again",
    async () => {
      const claimer = new FakeClaimer();
      const limiter = new LocalAllowanceRateLimiter(claimer);
      claimer.failWith = new DependencyUnavailable("redis");
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => limiter.hit("k", 10, 60_000, new Date(t0))),
      );
      assert.ok(results.every((r) => r.status === "rejected"));
      assert.equal(claimer.calls.length, 1);
      claimer.failWith = null;
      assert.equal((await limiter.hit("k", 10, 60_000, new Date(t0))).allowed, true);
    },
  );

  await t.step("memory stays bounded: maxKeys, and idle keys are swept", async () => {
    const limiter = new LocalAllowanceRateLimiter(new FakeClaimer(), { maxKeys: 50 });
    for (let i = 0; i < 200; i++) await limiter.hit(`k${i}`, 10, 1_000, new Date(t0));
    assert.equal(limiter.size, 50);
    for (let i = 0; i < 1_000; i++) await limiter.hit("hot", 1e9, 1_000, new Date(t0 + 2_000));
    assert.equal(limiter.size, 1, "keys a window past their last claim are forgotten");
  });
});

for (const target of redisTargets()) {
  rateLimiterContract(`LocalAllowanceRateLimiter${target.suffix}`, async () => {
    const r = await target.open();
    const redis = new RedisRateLimiter(r.redis, { prefix: r.prefix });
    return { subject: new LocalAllowanceRateLimiter(redis), close: r.close };
  }, { ignore: !target.available });

  Deno.test({
    name: `LocalAllowanceRateLimiter${target.suffix}`,
    ignore: !target.available,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step(
        "two processes, 1,000 hits in one instant: exactly the limit allowed",
        async () => {
          const r = await target.open();
          try {
            const [a, b] = [1, 2].map(() =>
              new LocalAllowanceRateLimiter(new RedisRateLimiter(r.redis, { prefix: r.prefix }))
            );
            const now = new Date();
            const decisions = await Promise.all(
              Array.from(
                { length: 1_000 },
                (_, i) => (i % 2 ? a : b).hit("shared", 200, 60_000, now),
              ),
            );
            assert.equal(decisions.filter((d) => d.allowed).length, 200);
            assert.equal(await r.redis.zcard(`${r.prefix}rate:shared`), 200);
          } finally {
            await r.close();
          }
        },
      );

      await t.step("a lease's unspent hits go back to the window at the next claim", async () => {
        const r = await target.open();
        try {
          const limiter = new LocalAllowanceRateLimiter(
            new RedisRateLimiter(r.redis, { prefix: r.prefix }),
            { leaseMs: 100 },
          );
          const t0 = Date.now();
          for (let i = 0; i < 9; i++) await limiter.hit("k", 10_000, 60_000, new Date(t0));
          // Claims of 1, 2, 4, 8: 15 logged, 9 spent.
          assert.equal(await r.redis.zcard(`${r.prefix}rate:k`), 15);
          await limiter.hit("k", 10_000, 60_000, new Date(t0 + 100));
          assert.equal(await r.redis.zcard(`${r.prefix}rate:k`), 10, "the spent ones only");
        } finally {
          await r.close();
        }
      });
    },
  });
}

Deno.test({
  name: "LocalAllowanceRateLimiter: round trips",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("1,000 sequential hits on a hot key send at most 100 scripts", async () => {
      const r = await testRedis(url!);
      const monitor = await tap(url!, r.redis);
      try {
        const limiter = new LocalAllowanceRateLimiter(
          new RedisRateLimiter(r.redis, { prefix: r.prefix }),
        );
        await monitor.reset();
        const t0 = Date.now();
        for (let i = 0; i < 1_000; i++) {
          const decision = await limiter.hit("hot", 1e9, 60_000, new Date(t0 + i / 10));
          assert.equal(decision.allowed, true);
        }
        const sent = (await monitor.commands()).map((c) => c[0]);
        assert.ok(sent.every((c) => c === "evalsha" || c === "eval"), sent.join(" "));
        assert.ok(sent.length <= 100, `${sent.length} round trips`);
        assert.equal(await r.redis.zcard(`${r.prefix}rate:hot`) >= 1_000, true);
      } finally {
        await monitor.close();
        await r.close();
      }
    });
  },
});
