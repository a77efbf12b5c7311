import assert from "node:assert/strict";
import { parseConfig } from "./config.ts";

Deno.test("parseConfig()", async (t) => {
  await t.step("gives the documented defaults for an empty environment", () => {
    const config = parseConfig({});
    assert.equal(config.PORT, 8000);
    assert.equal(config.ORDER_TTL_MINUTES, 15);
    assert.equal(config.RATE_LIMIT_MAX, 100);
    assert.equal(config.RATE_LIMIT_WINDOW_S, 60);
    assert.equal(config.RATE_LIMIT_ENABLED, true);
    assert.equal(config.SEED, true);
    assert.equal(config.DATABASE_URL, undefined);
  });

  await t.step("coerces numbers and flags from strings", () => {
    const config = parseConfig({
      PORT: "9000",
      MIGRATE_ON_START: "1",
      SEED: "false",
      RATE_LIMIT_ENABLED: "0",
    });
    assert.equal(config.PORT, 9000);
    assert.equal(config.RATE_LIMIT_ENABLED, false);
    assert.equal(config.MIGRATE_ON_START, true);
    assert.equal(config.SEED, false);
  });

  await t.step("admission control: 256 requests in flight by default, 0 for no limit", () => {
    assert.equal(parseConfig({}).MAX_REQUESTS_IN_FLIGHT, 256);
    assert.equal(parseConfig({}).MAX_WRITES_IN_FLIGHT, 64);
    assert.equal(parseConfig({ MAX_WRITES_IN_FLIGHT: "0" }).MAX_WRITES_IN_FLIGHT, 0);
    assert.equal(parseConfig({ MAX_REQUESTS_IN_FLIGHT: "0" }).MAX_REQUESTS_IN_FLIGHT, 0);
    assert.equal(parseConfig({ MAX_REQUESTS_IN_FLIGHT: "64" }).MAX_REQUESTS_IN_FLIGHT, 64);
    assert.throws(
      () => parseConfig({ MAX_REQUESTS_IN_FLIGHT: "-1" }),
      (e: Error) => e.message.includes("MAX_REQUESTS_IN_FLIGHT: must be a whole number"),
    );
    assert.throws(() => parseConfig({ MAX_REQUESTS_IN_FLIGHT: "many" }), /MAX_REQUESTS_IN_FLIGHT/);
  });

  await t.step("the rate limiter's local batch: 64 by default, 1 to 1,000", () => {
    assert.equal(parseConfig({}).RATE_LIMIT_BATCH_MAX, 64);
    assert.equal(parseConfig({ RATE_LIMIT_BATCH_MAX: "1" }).RATE_LIMIT_BATCH_MAX, 1);
    assert.throws(() => parseConfig({ RATE_LIMIT_BATCH_MAX: "0" }), /RATE_LIMIT_BATCH_MAX/);
    assert.throws(() => parseConfig({ RATE_LIMIT_BATCH_MAX: "1001" }), /RATE_LIMIT_BATCH_MAX/);
  });

  await t.step("the session near cache: 1 s and 10,000 sessions by default, 0 s for off", () => {
    assert.equal(parseConfig({}).SESSION_NEAR_CACHE_MS, 1_000);
    assert.equal(parseConfig({}).SESSION_NEAR_CACHE_ENTRIES, 10_000);
    assert.equal(parseConfig({ SESSION_NEAR_CACHE_MS: "0" }).SESSION_NEAR_CACHE_MS, 0);
    assert.throws(() => parseConfig({ SESSION_NEAR_CACHE_MS: "60001" }), /SESSION_NEAR_CACHE_MS/);
    assert.throws(
      () => parseConfig({ SESSION_NEAR_CACHE_ENTRIES: "0" }),
      /SESSION_NEAR_CACHE_ENTRIES/,
    );
  });

  await t.step("names every invalid variable", () => {
    assert.throws(
      () => parseConfig({ PORT: "eighty", RATE_LIMIT_MAX: "0" }),
      (e: Error) => e.message.includes("PORT") && e.message.includes("RATE_LIMIT_MAX"),
    );
  });

  await t.step("says on one line what each bad variable must be and what it got", () => {
    assert.throws(
      () => parseConfig({ PORT: "abc" }),
      (e: Error) =>
        e.message ===
          'invalid configuration: PORT: must be a whole number from 0 to 65535 (got "abc")',
    );
  });

  await t.step("never repeats a password or URL in the error", () => {
    assert.throws(
      () => parseConfig({ ADMIN_EMAIL: "a@shop.example", ADMIN_PASSWORD: "short" }),
      (e: Error) => e.message.includes("ADMIN_PASSWORD") && !e.message.includes("short"),
    );
  });

  await t.step("refuses an admin email without a password", () => {
    assert.throws(
      () => parseConfig({ ADMIN_EMAIL: "admin@shop.example" }),
      (e: Error) => e.message.includes("ADMIN_PASSWORD"),
    );
  });

  await t.step("duty leases: 10 s TTL, renewed every 3 s, asked for every second", () => {
    const config = parseConfig({});
    assert.equal(config.DUTY_LEASE_TTL_MS, 10_000);
    assert.equal(config.DUTY_LEASE_RENEW_MS, 3_000);
    assert.equal(config.DUTY_RETRY_MS, 1_000);
  });

  await t.step("refuses a renewal interval longer than half the lease's TTL", () => {
    assert.throws(
      () => parseConfig({ DUTY_LEASE_TTL_MS: "4000", DUTY_LEASE_RENEW_MS: "3000" }),
      (e: Error) => e.message.includes("DUTY_LEASE_RENEW_MS: must be at most half"),
    );
    assert.equal(parseConfig({ DUTY_LEASE_TTL_MS: "6000" }).DUTY_LEASE_RENEW_MS, 3_000);
  });

  await t.step("reads REDIS_CLUSTER_NODES as a list of host:port", () => {
    const config = parseConfig({ REDIS_CLUSTER_NODES: " 127.0.0.1:7000, redis-b:7001,[::1]:7002" });
    assert.deepEqual(config.REDIS_CLUSTER_NODES, [
      { host: "127.0.0.1", port: 7000 },
      { host: "redis-b", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    assert.equal(parseConfig({}).REDIS_CLUSTER_NODES, undefined);
  });

  await t.step("refuses a REDIS_CLUSTER_NODES entry that is not host:port", () => {
    for (const bad of ["127.0.0.1", "a:7000,,b:7001", "a:0", "a:70000", "redis://a:7000"]) {
      assert.throws(
        () => parseConfig({ REDIS_CLUSTER_NODES: bad }),
        (e: Error) =>
          e.message ===
            "invalid configuration: REDIS_CLUSTER_NODES: must be a comma-separated list of " +
              `host:port (got ${JSON.stringify(bad)})`,
        bad,
      );
    }
  });

  await t.step("refuses REDIS_URL and REDIS_CLUSTER_NODES together, in one line", () => {
    assert.throws(
      () => parseConfig({ REDIS_URL: "redis://127.0.0.1:6379", REDIS_CLUSTER_NODES: "a:7000" }),
      (e: Error) =>
        e.message ===
          "invalid configuration: REDIS_URL: set REDIS_URL (one server) or " +
            "REDIS_CLUSTER_NODES (a cluster), not both",
    );
  });
});

Deno.test("Stripe settings: optional, validated, and never echoed in an error", async (t) => {
  await t.step("unset: no Stripe", () => {
    assert.equal(parseConfig({}).STRIPE_SECRET_KEY, undefined);
  });
  await t.step("a key, a webhook secret and the mock's base parse", () => {
    const c = parseConfig({
      STRIPE_SECRET_KEY: "sk_test_123",
      STRIPE_WEBHOOK_SECRET: "whsec_abc",
      STRIPE_API_BASE: "http://127.0.0.1:12111",
    });
    assert.equal(c.STRIPE_SECRET_KEY, "sk_test_123");
    assert.equal(c.STRIPE_API_BASE, "http://127.0.0.1:12111");
  });
  await t.step("a malformed key is refused without its value", () => {
    assert.throws(
      () => parseConfig({ STRIPE_SECRET_KEY: "pk_live_oops" }),
      (e: Error) => /STRIPE_SECRET_KEY/.test(e.message) && !e.message.includes("pk_live_oops"),
    );
  });
  await t.step("a webhook secret without a key is refused", () => {
    assert.throws(() => parseConfig({ STRIPE_WEBHOOK_SECRET: "whsec_abc" }), /STRIPE_SECRET_KEY/);
  });
});

Deno.test("REVIEWS_REQUIRE_APPROVAL: off by default, a flag, refused otherwise", () => {
  assert.equal(parseConfig({}).REVIEWS_REQUIRE_APPROVAL, false);
  assert.equal(parseConfig({ REVIEWS_REQUIRE_APPROVAL: "1" }).REVIEWS_REQUIRE_APPROVAL, true);
  assert.equal(parseConfig({ REVIEWS_REQUIRE_APPROVAL: "false" }).REVIEWS_REQUIRE_APPROVAL, false);
  assert.throws(
    () => parseConfig({ REVIEWS_REQUIRE_APPROVAL: "yes" }),
    /REVIEWS_REQUIRE_APPROVAL: must be 0, 1, true or false \(got "yes"\)/,
  );
});
