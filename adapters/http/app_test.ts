import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields, TEST_DELIVERY } from "./_harness_test.ts";
import { MAX_BODY_BYTES } from "./_middleware.ts";

Deno.test("buildApp() answers every request with a request id", async (t) => {
  const h = await harness({ seed: false });

  await t.step("makes one when none is sent", async () => {
    const res = await h.call("GET", "/health");
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });

  await t.step("honours a sane incoming id", async () => {
    const res = await h.call("GET", "/products", { headers: { "X-Request-Id": "trace-42.a:b" } });
    assert.equal(res.headers.get("x-request-id"), "trace-42.a:b");
  });

  await t.step("replaces an insane one", async () => {
    const res = await h.call("GET", "/health", { headers: { "X-Request-Id": "<script>" } });
    assert.notEqual(res.headers.get("x-request-id"), "<script>");
  });

  await t.step("also on errors", async () => {
    const res = await h.call("GET", "/nowhere", { headers: { "X-Request-Id": "abc" } });
    assert.equal(res.headers.get("x-request-id"), "abc");
  });
});

Deno.test("buildApp() answers unknown routes 404 and wrong methods 405 as problems", async (t) => {
  const h = await harness({ seed: false });

  await t.step("unknown path", async () => {
    assertProblem(await h.call("GET", "/nowhere"), 404, "route_not_found");
  });

  await t.step("known path, wrong method, with Allow", async () => {
    const res = await h.call("PUT", "/products");
    assertProblem(res, 405, "method_not_allowed");
    assert.equal(res.headers.get("allow"), "GET, HEAD");
  });

  await t.step("a trailing slash is another path", async () => {
    assertProblem(await h.call("GET", "/products/"), 404, "route_not_found");
  });

  await t.step("parameterised path", async () => {
    const res = await h.call("POST", "/orders/abc");
    assertProblem(res, 405, "method_not_allowed");
    assert.equal(res.headers.get("allow"), "GET, HEAD");
  });
});

Deno.test("buildApp() refuses bodies over 1 MiB with 413", async (t) => {
  const h = await harness({ seed: false });
  const token = (await h.register()).token;
  const big = JSON.stringify({ email: "a@b.co", password: "x".repeat(MAX_BODY_BYTES) });

  await t.step("declared by Content-Length", async () => {
    const res = await h.call("POST", "/auth/register", {
      rawBody: big,
      headers: { "Content-Type": "application/json", "Content-Length": String(big.length) },
    });
    assertProblem(res, 413, "payload_too_large");
  });

  await t.step("streamed without Content-Length (chunked)", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await h.call("POST", "/orders", {
      token,
      rawBody: stream,
      headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
    });
    assertProblem(res, 413, "payload_too_large");
  });

  await t.step("a body just under the limit is read", async () => {
    const body = JSON.stringify({
      ...TEST_DELIVERY,
      items: [],
      pad: "x".repeat(MAX_BODY_BYTES - 400),
    });
    const res = await h.call("POST", "/orders", {
      token,
      rawBody: body,
      headers: { "Content-Type": "application/json" },
    });
    // Read and parsed to the end: the padding is named as an unknown field, not refused as 413.
    assert.deepEqual(invalidFields(res), ["pad"]);
  });
});

Deno.test("buildApp() answers malformed JSON with 400", async () => {
  const h = await harness({ seed: false });
  const res = await h.call("POST", "/auth/login", {
    rawBody: '{"email": "a@b.co", ',
    headers: { "Content-Type": "application/json" },
  });
  assertProblem(res, 400, "malformed_json");
});

Deno.test("buildApp() logs unexpected errors with the request id and answers a bare 500", async () => {
  const h = await harness({
    seed: false,
    override: (uc) => ({
      ...uc,
      listProducts: () => Promise.reject(new Error("connection to 10.1.2.3 lost: secret")),
    }),
  });
  const res = await h.call("GET", "/products", { headers: { "X-Request-Id": "req-500" } });
  assertProblem(res, 500, "internal_error");
  assert.equal(res.body.requestId, "req-500");
  assert.equal(res.headers.get("x-request-id"), "req-500");
  assert.ok(!res.text.includes("secret") && !res.text.includes("10.1.2.3"), res.text);
  const logged = h.logger.entries.find((e) => e.level === "error");
  assert.equal(logged?.fields?.requestId, "req-500");
  assert.match(String((logged?.fields?.error as Error).message), /secret/);
});

Deno.test("rate limiting: per user or client address, with headers on every response", async (t) => {
  const h = await harness({
    seed: false,
    settings: { rateLimit: { limit: 3, windowMs: 60_000 } },
  });

  await t.step("counts down and then answers 429 with Retry-After", async () => {
    const first = await h.call("GET", "/products");
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("ratelimit-limit"), "3");
    assert.equal(first.headers.get("ratelimit-remaining"), "2");
    assert.equal(first.headers.get("ratelimit-reset"), "60");
    await h.call("GET", "/products");
    const third = await h.call("GET", "/nowhere");
    assert.equal(third.headers.get("ratelimit-remaining"), "0");
    const limited = await h.call("GET", "/products");
    assertProblem(limited, 429, "rate_limited");
    assert.equal(limited.headers.get("retry-after"), "60");
    assert.equal(limited.headers.get("ratelimit-limit"), "3");
    assert.equal(limited.headers.get("ratelimit-remaining"), "0");
    assert.equal(limited.headers.get("ratelimit-reset"), "60");
  });

  await t.step("probes and docs are never limited", async () => {
    for (const path of ["/health", "/ready", "/openapi.json", "/docs"]) {
      const res = await h.call("GET", path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("ratelimit-limit"), null, path);
    }
  });

  await t.step("the window slides: later requests pass again", async () => {
    h.clock.advance(60_001);
    assert.equal((await h.call("GET", "/products")).status, 200);
  });

  await t.step("an authenticated user has a budget of its own", async () => {
    const { token } = await h.useCases.register({
      email: "limited@polycart.test",
      password: "long enough password",
    });
    for (let i = 0; i < 3; i++) assert.equal((await h.call("GET", "/me", { token })).status, 200);
    assertProblem(await h.call("GET", "/me", { token }), 429, "rate_limited");
    // The anonymous budget is unaffected by the user's.
    h.clock.advance(60_001);
    assert.equal((await h.call("GET", "/products")).status, 200);
  });
});

Deno.test("rate limiting: X-Forwarded-For is used only behind a trusted proxy", async (t) => {
  const settings = { rateLimit: { limit: 1, windowMs: 60_000 } };

  await t.step("trusted: each forwarded client has its own budget", async () => {
    const h = await harness({ seed: false, settings, trustProxy: true });
    const as = (ip: string) => h.call("GET", "/products", { headers: { "X-Forwarded-For": ip } });
    assert.equal((await as("203.0.113.1")).status, 200);
    assert.equal((await as("203.0.113.2")).status, 200);
    assert.equal((await as("198.51.100.9, 203.0.113.1")).status, 429);
  });

  await t.step("untrusted: the header is ignored", async () => {
    const h = await harness({ seed: false, settings });
    const as = (ip: string) => h.call("GET", "/products", { headers: { "X-Forwarded-For": ip } });
    assert.equal((await as("203.0.113.1")).status, 200);
    assert.equal((await as("203.0.113.2")).status, 429);
  });
});

Deno.test("rate limiting: login is limited per address and email", async () => {
  const h = await harness({
    seed: false,
    settings: { loginRateLimit: { limit: 2, windowMs: 300_000 } },
  });
  await h.register("victim@polycart.test");
  const attempt = (email: string) =>
    h.call("POST", "/auth/login", { body: { email, password: "wrong password!" } });
  assertProblem(await attempt("victim@polycart.test"), 401, "invalid_credentials");
  assertProblem(await attempt("VICTIM@polycart.test"), 401, "invalid_credentials");
  const limited = await attempt("victim@polycart.test");
  assertProblem(limited, 429, "rate_limited");
  assert.equal(limited.headers.get("ratelimit-limit"), "2");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  // Another email from the same address still gets its attempts.
  assertProblem(await attempt("other@polycart.test"), 401, "invalid_credentials");
});

Deno.test("rate limiting: switched off, no request is counted but login stays limited", async () => {
  const h = await harness({
    seed: false,
    rateLimit: false,
    settings: {
      rateLimit: { limit: 1, windowMs: 60_000 },
      loginRateLimit: { limit: 1, windowMs: 300_000 },
    },
  });
  for (let i = 0; i < 3; i++) {
    const res = await h.call("GET", "/products");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("ratelimit-limit"), null);
  }
  const attempt = () =>
    h.call("POST", "/auth/login", { body: { email: "a@polycart.test", password: "wrong one!" } });
  assertProblem(await attempt(), 401, "invalid_credentials");
  assertProblem(await attempt(), 429, "rate_limited");
});

Deno.test("rate limiting fails open while the limiter's store is down", async () => {
  const h = await harness({ seed: false, settings: { rateLimit: { limit: 1, windowMs: 60_000 } } });
  h.memory.outages.redis.down = true;
  for (let i = 0; i < 3; i++) assert.equal((await h.call("GET", "/products")).status, 200);
  assert.equal(h.useCases.rateLimitFailOpen.count, 3);
});

Deno.test("GET /health and GET /ready report liveness and per-dependency readiness", async (t) => {
  await t.step("live and ready", async () => {
    const h = await harness({ seed: false });
    const live = await h.call("GET", "/health");
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: "ok" });
    const ready = await h.call("GET", "/ready");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, "ready");
    assert.ok(ready.body.checks.every((c: { status: string }) => c.status === "ok"));
  });

  await t.step("a non-critical dependency down: still ready, degraded", async () => {
    const h = await harness({ seed: false });
    h.memory.outages.redis.down = true;
    const ready = await h.call("GET", "/ready");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, "degraded");
    const redis = ready.body.checks.find((c: { name: string }) => c.name.startsWith("redis"));
    assert.equal(redis.status, "down");
  });

  await t.step("a critical dependency down or hanging: 503 listing each", async () => {
    const h = await harness({
      seed: false,
      readyTimeoutMs: 50,
      override: (uc) => ({
        ...uc,
        health: [
          ...uc.health,
          { name: "postgres", critical: true, check: () => new Promise(() => {}) },
        ],
      }),
    });
    const res = await h.call("GET", "/ready");
    assertProblem(res, 503, "not_ready");
    const pg = res.body.checks.find((c: { name: string }) => c.name === "postgres");
    assert.deepEqual({ status: pg.status, critical: pg.critical }, {
      status: "down",
      critical: true,
    });
    assert.equal(res.body.checks.length, 4);
  });
});

Deno.test("validation names the offending query parameters", async () => {
  const h = await harness({ seed: false });
  const res = await h.call("GET", "/products?page=0&size=101&sort=cheapest&minRating=9");
  assert.deepEqual(invalidFields(res).sort(), ["minRating", "page", "size", "sort"]);
});
