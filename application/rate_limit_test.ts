import assert from "node:assert/strict";
import { DependencyUnavailable } from "../domain/errors.ts";
import { testCore } from "../testing/core.ts";
import { checkRateLimit, FailOpenCounter } from "./rate_limit.ts";

const POLICY = { limit: 5, windowMs: 60_000 };

Deno.test("checkRateLimit() allows exactly the limit in a sliding window", async (t) => {
  await t.step("allows `limit` requests, counting down, then blocks", async () => {
    const { useCases } = await testCore({ seed: false });
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push(await useCases.checkRateLimit("user:1", POLICY));
    assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, true, false, false]);
    assert.deepEqual(decisions.map((d) => d.remaining), [4, 3, 2, 1, 0, 0, 0]);
    assert.ok(decisions.every((d) => d.limit === 5 && !d.degraded));
    assert.equal(decisions[6].resetMs, 60_000);
  });

  await t.step("concurrent requests are counted exactly", async () => {
    const { useCases } = await testCore({ seed: false });
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => useCases.checkRateLimit("ip:10.0.0.1", POLICY)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
  });

  await t.step("the window slides with the clock", async () => {
    const core = await testCore({ seed: false });
    for (let i = 0; i < 5; i++) {
      await core.useCases.checkRateLimit("user:1", POLICY);
      core.clock.advance(10_000);
    }
    // t = 50 s: the first request (t = 0) leaves the window at t = 60 s.
    const blocked = await core.useCases.checkRateLimit("user:1", POLICY);
    assert.equal(blocked.allowed, false);
    assert.equal(blocked.resetMs, 10_000);
    core.clock.advance(10_000);
    const allowed = await core.useCases.checkRateLimit("user:1", POLICY);
    assert.equal(allowed.allowed, true);
    assert.equal(allowed.remaining, 0);
    assert.equal((await core.useCases.checkRateLimit("user:1", POLICY)).allowed, false);
  });

  await t.step("keys are counted separately", async () => {
    const { useCases } = await testCore({ seed: false });
    for (let i = 0; i < 5; i++) await useCases.checkRateLimit("user:1", POLICY);
    assert.equal((await useCases.checkRateLimit("user:1", POLICY)).allowed, false);
    assert.equal((await useCases.checkRateLimit("user:2", POLICY)).allowed, true);
  });
});

Deno.test("checkRateLimit() fails open when the limiter's store is down", async (t) => {
  await t.step("allows every request, marks it degraded and counts it", async () => {
    const core = await testCore({ seed: false });
    for (let i = 0; i < 5; i++) await core.useCases.checkRateLimit("user:1", POLICY);
    core.outages.redis.down = true;
    for (let i = 0; i < 3; i++) {
      const decision = await core.useCases.checkRateLimit("user:1", POLICY);
      assert.deepEqual(decision, {
        allowed: true,
        limit: 5,
        remaining: 5,
        resetMs: 60_000,
        degraded: true,
      });
    }
    assert.equal(core.useCases.rateLimitFailOpen.count, 3);
    core.outages.redis.down = false;
    assert.equal((await core.useCases.checkRateLimit("user:1", POLICY)).allowed, false);
    assert.equal(core.useCases.rateLimitFailOpen.count, 3);
  });

  await t.step("an unexpected limiter error is not swallowed", async () => {
    const core = await testCore({ seed: false });
    const failOpen = new FailOpenCounter();
    const deps = {
      ...core.ports,
      failOpen,
      limiter: { hit: () => Promise.reject(new TypeError("bug in the script")) },
    };
    await assert.rejects(checkRateLimit(deps, "user:1", POLICY), TypeError);
    assert.equal(failOpen.count, 0);
    const down = {
      ...deps,
      limiter: { hit: () => Promise.reject(new DependencyUnavailable("redis")) },
    };
    assert.equal((await checkRateLimit(down, "user:1", POLICY)).degraded, true);
    assert.equal(failOpen.count, 1);
  });
});

Deno.test("checkRateLimit() warns about failing open at most once a second", async (t) => {
  await t.step("one line a second, naming the requests not logged since the last", async () => {
    const core = await testCore({ seed: false });
    const warnings: (Record<string, unknown> | undefined)[] = [];
    const logger = {
      info() {},
      error() {},
      warn: (_message: string, fields?: Record<string, unknown>) => warnings.push(fields),
    };
    const failOpen = new FailOpenCounter();
    const deps = {
      ...core.ports,
      logger,
      failOpen,
      limiter: { hit: () => Promise.reject(new DependencyUnavailable("redis")) },
    };
    for (let i = 0; i < 1_000; i++) await checkRateLimit(deps, "user:1", POLICY);
    assert.deepEqual(warnings, [{ failOpenTotal: 1, suppressedSinceLastWarning: 0 }]);
    core.clock.advance(999);
    await checkRateLimit(deps, "user:1", POLICY);
    assert.equal(warnings.length, 1);
    core.clock.advance(1);
    await checkRateLimit(deps, "user:1", POLICY);
    assert.deepEqual(warnings[1], { failOpenTotal: 1_002, suppressedSinceLastWarning: 1_000 });
    assert.equal(failOpen.count, 1_002);
  });
});
