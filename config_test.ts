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
});
