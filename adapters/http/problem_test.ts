import assert from "node:assert/strict";
import { z } from "zod";
import * as errors from "../../domain/errors.ts";
import {
  MethodNotAllowed,
  problemOf,
  PROBLEMS,
  RateLimited,
  storedProblem,
  UnsupportedMediaType,
  ValidationFailed,
} from "./problem.ts";

Deno.test("problemOf() maps every domain error code to its status", async (t) => {
  const cases: [Error, number, string][] = [
    [new errors.NotFound("order", "o1"), 404, "not_found"],
    [new errors.AlreadyExists("product", "sku", "A"), 409, "already_exists"],
    [new errors.EmailTaken("a@b.c"), 409, "email_taken"],
    [new errors.InsufficientStock(["A", "B"]), 409, "insufficient_stock"],
    [new errors.InvalidStockLevel("A", -1, 0), 409, "invalid_stock_level"],
    [new errors.InvalidTransition("pending", "shipped"), 409, "invalid_transition"],
    [new errors.OrderNotPending("o1", "confirmed"), 409, "order_not_pending"],
    [new errors.EmptyOrder(), 422, "empty_order"],
    [new errors.IdempotencyKeyMismatch("k"), 422, "idempotency_key_mismatch"],
    [new errors.IdempotencyInFlight("k"), 409, "idempotency_in_flight"],
    [new errors.InvalidCredentials(), 401, "invalid_credentials"],
    [new errors.Unauthenticated(), 401, "unauthenticated"],
    [new errors.Forbidden(), 403, "forbidden"],
    [new errors.PaymentDeclined("o1", "card_declined"), 402, "payment_declined"],
    [new errors.PaymentGatewayUnavailable("test"), 502, "payment_gateway_error"],
    [new errors.UnsupportedProvider("nope"), 422, "unsupported_provider"],
    [new errors.WeakPassword(8), 400, "weak_password"],
    [new errors.ShippingUnavailable("ship-1", "JP"), 422, "shipping_unavailable"],
    [
      new errors.DependencyUnavailable("redis", new Error("ECONNREFUSED 10.0.0.1")),
      503,
      "dependency_unavailable",
    ],
  ];
  for (const [error, status, code] of cases) {
    await t.step(`${code} -> ${status}`, () => {
      const problem = problemOf(error, "/x");
      assert.ok(problem);
      assert.equal(problem.status, status);
      assert.equal(problem.body.type, `/docs#problem-${code}`);
      assert.equal(problem.body.status, status);
      assert.equal(problem.body.title, PROBLEMS[code as keyof typeof PROBLEMS].title);
      assert.equal(problem.body.instance, "/x");
      assert.equal(typeof problem.body.detail, "string");
    });
  }

  await t.step("insufficient stock names the SKUs", () => {
    assert.deepEqual(problemOf(new errors.InsufficientStock(["A", "B"]), "/")?.body.skus, [
      "A",
      "B",
    ]);
  });

  await t.step("401 challenges for a bearer token", () => {
    assert.equal(
      problemOf(new errors.Unauthenticated(), "/")?.headers["WWW-Authenticate"],
      'Bearer realm="polycart"',
    );
  });

  await t.step("503 says when to retry and hides the cause", () => {
    const problem = problemOf(
      new errors.DependencyUnavailable("redis", new Error("10.0.0.1")),
      "/",
    )!;
    assert.equal(problem.headers["Retry-After"], "5");
    assert.equal(problem.body.dependency, "redis");
    assert.ok(!JSON.stringify(problem.body).includes("10.0.0.1"));
  });
});

Deno.test("problemOf() maps the adapter's own failures", async (t) => {
  await t.step("zod errors become 400 with field paths", () => {
    const result = z.object({ items: z.array(z.object({ qty: z.int().min(1) })) })
      .safeParse({ items: [{ qty: 0 }] });
    assert.ok(!result.success);
    const problem = problemOf(result.error, "/orders")!;
    assert.equal(problem.status, 400);
    assert.deepEqual((problem.body.errors as { path: string }[]).map((e) => e.path), [
      "items[0].qty",
    ]);
  });

  await t.step("unknown keys become one entry each; a path is listed once", () => {
    const result = z.strictObject({
      email: z.email().max(5),
      items: z.array(z.strictObject({ qty: z.int() })),
    }).safeParse({ email: "not an email", items: [{ qty: 1, x: 1, y: 2 }], z: 0 });
    assert.ok(!result.success);
    const problem = problemOf(result.error, "/orders")!;
    assert.deepEqual((problem.body.errors as { path: string }[]).map((e) => e.path), [
      "email",
      "items[0].x",
      "items[0].y",
      "z",
    ]);
    assert.equal(
      (problem.body.errors as { message: string }[])[3].message,
      "unknown field: z",
    );
  });

  await t.step("415 names the type it got and the one it accepts", () => {
    const problem = problemOf(new UnsupportedMediaType("text/plain"), "/cart/items")!;
    assert.equal(problem.status, 415);
    assert.equal(problem.body.type, "/docs#problem-unsupported_media_type");
    assert.match(problem.body.detail as string, /application\/json.*text\/plain/);
    assert.deepEqual(problem.body.accept, ["application/json"]);
  });

  await t.step("405 lists the allowed methods", () => {
    const problem = problemOf(new MethodNotAllowed("PUT", ["GET", "HEAD"]), "/cart")!;
    assert.equal(problem.status, 405);
    assert.equal(problem.headers.Allow, "GET, HEAD");
  });

  await t.step("429 carries Retry-After and the rate headers", () => {
    const problem = problemOf(
      new RateLimited({ allowed: false, limit: 5, remaining: 0, resetMs: 1_500 }),
      "/",
    )!;
    assert.equal(problem.status, 429);
    assert.equal(problem.headers["Retry-After"], "2");
    assert.equal(problem.headers["RateLimit-Limit"], "5");
    assert.equal(problem.headers["RateLimit-Remaining"], "0");
    assert.equal(problem.headers["RateLimit-Reset"], "2");
  });

  await t.step("unexpected errors are not problems (they become a logged 500)", () => {
    assert.equal(problemOf(new Error("boom"), "/"), null);
    assert.equal(problemOf(Object.assign(new Error("x"), { code: "not_found" }), "/"), null);
    assert.equal(problemOf("a string", "/"), null);
  });
});

Deno.test("storedProblem() keeps client errors and rethrows server-side ones", () => {
  const stored = storedProblem(new errors.InsufficientStock(["A"]), "/orders");
  assert.equal(stored.status, 409);
  assert.deepEqual((stored.body as { skus: string[] }).skus, ["A"]);
  assert.throws(
    () => storedProblem(new errors.PaymentGatewayUnavailable("test"), "/payments"),
    errors.PaymentGatewayUnavailable,
  );
  assert.throws(() => storedProblem(new Error("boom"), "/"), /boom/);
  assert.equal(storedProblem(new ValidationFailed([{ path: "a", message: "m" }]), "/").status, 400);
});
