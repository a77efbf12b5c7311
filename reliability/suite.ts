/**
 * The reliability suite: `deno task test:reliability` (CI runs it after `deno task test`).
 *
 * It starts a private stack (PostgreSQL, Redis, MongoDB, Elasticsearch, the API and the sync
 * worker, on ports of their own) because it stops, crashes and restarts those servers; the
 * shared servers on the default ports are never touched. Everything it starts is stopped in
 * `finally`, also when a step fails. This file is deliberately not named `*_test.ts`, so
 * `deno task test` does not pick it up.
 *
 * Knobs (environment): RELIABILITY_DURATION_S (conservation workload, default 60),
 * RELIABILITY_CLIENTS (12), RELIABILITY_FUZZ_EXAMPLES (per operation, 50),
 * RELIABILITY_FUZZ_SEED (20261121). Logs and figures land in reliability/.logs/.
 */
import assert from "node:assert/strict";
import { conservation } from "./_conservation.ts";
import {
  elasticsearchDown,
  mongoDown,
  postgresDownMidCheckout,
  redisDown,
  workerKilled,
} from "./_faults.ts";
import { Figures } from "./_figures.ts";
import { fuzz, FUZZ_DATABASE } from "./_fuzz.ts";
import { accounts, responses } from "./_http.ts";
import { idempotencyExpiry, idempotencyOverHttp, idempotencyRecovery } from "./_idempotency.ts";
import { expiryRace } from "./_expiry.ts";
import { paymentRace } from "./_payment_race.ts";
import { rateLimiter } from "./_rate_limit.ts";
import { accessControl, injection, limits, loginThrottle, noSecretsLeak } from "./_security.ts";
import { LOG_DIR, Stack } from "./_stack.ts";

const number = (name: string, fallback: number) => {
  const value = Number(Deno.env.get(name) ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

Deno.test({
  name: "reliability: the real stack under concurrency, faults, fuzzing and attack",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const figures = new Figures();
    let stack: Stack | null = null;
    try {
      const started = performance.now();
      stack = await Stack.start();
      const s = stack;
      figures.note(
        `private stack up in ${Math.round((performance.now() - started) / 1000)} s ` +
          `(PostgreSQL :${s.pg.port}, Redis :${s.redis.port}, MongoDB :${s.mongo.port}, ` +
          `Elasticsearch :${s.es.httpPort}, API ${s.api.url})`,
      );

      await t.step(
        "conservation under concurrency while servers fail (bank test)",
        () =>
          conservation(s, figures, {
            durationMs: number("RELIABILITY_DURATION_S", 60) * 1000,
            clients: number("RELIABILITY_CLIENTS", 12),
          }).then(() => {}),
      );
      await t.step(
        "Redis down: reads fall back, carts 503, checkout works, recovers",
        () => redisDown(s, figures),
      );
      await t.step(
        "Elasticsearch down: search 503, writes succeed, sync catches up",
        () => elasticsearchDown(s, figures),
      );
      await t.step(
        "MongoDB down: cached products served, catalog recovers",
        () => mongoDown(s, figures),
      );
      await t.step(
        "PostgreSQL down mid-checkout: 503, no partial orders or stuck stock",
        () => postgresDownMidCheckout(s, figures),
      );
      await t.step(
        "sync worker SIGKILL: resumes from its checkpoint, nothing lost",
        () => workerKilled(s, figures),
      );
      await t.step(
        "idempotency keys (Stripe's contract) over HTTP",
        () => idempotencyOverHttp(s, figures),
      );
      await t.step(
        "idempotency keys expire after 24 hours (fixed clock)",
        () => idempotencyExpiry(s, figures),
      );
      await t.step(
        "idempotency keys held by a dead request are recovered after the lease",
        () => idempotencyRecovery(s, figures),
      );
      await t.step(
        "reservation expiry racing a late payment: exactly one wins",
        () => expiryRace(s, figures),
      );
      await t.step(
        "Stripe: client confirmation, webhook (twice, late) and sweeper racing, once each",
        () => paymentRace(s, figures),
      );
      await t.step(
        "rate limiter: limit + k concurrent requests, exactly limit allowed",
        () => rateLimiter(s, figures),
      );
      await t.step(
        "security: other users' ids 404, admin routes 403, dead tokens 401",
        () => accessControl(s, figures),
      );
      await t.step("security: login brute force is throttled", () => loginThrottle(s, figures));
      await t.step(
        "security: operators and query syntax in filters are data",
        () => injection(s, figures),
      );
      await t.step(
        "security: oversized bodies 413, huge size and bad page 400",
        () => limits(s, figures),
      );
      await t.step(
        "fuzzing: schemathesis finds no 5xx and no schema violation",
        () =>
          fuzz(s, figures, {
            maxExamples: number("RELIABILITY_FUZZ_EXAMPLES", 50),
            seed: number("RELIABILITY_FUZZ_SEED", 20261121),
          }),
      );
      await t.step("no request ended in an unexpected error (500) in any log", async () => {
        const logs = await s.appLogs();
        const unhandled = logs.split("\n").filter((line) => line.includes('"unhandled error"'));
        assert.deepEqual(unhandled.slice(0, 5), [], `${unhandled.length} unhandled errors`);
        figures.checked("log lines searched for unhandled errors", logs.split("\n").length);
      });
      await t.step("passwords and hashes never in a response or a log line", async () => {
        const fuzzLog = await Deno.readTextFile(`${LOG_DIR}/schemathesis.log`).catch(() => "");
        await noSecretsLeak(s, figures, responses.texts, accounts, fuzzLog, [FUZZ_DATABASE]);
      });
    } finally {
      await stack?.dispose();
      console.log(figures.report());
      await Deno.writeTextFile(
        `${LOG_DIR}/figures.json`,
        JSON.stringify(figures.toJson(), null, 2) + "\n",
      ).catch(() => {});
    }
  },
});
