/**
 * Strict, explained input: whatever a client sends wrong is a precise 4xx naming it, never
 * silently ignored (unknown query parameters and body fields, an empty Idempotency-Key, a body
 * that is not JSON), with messages in words a client can act on.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { assertProblem, harness, invalidFields, type Reply } from "./_harness_test.ts";
import { SEARCH_SORTS } from "../../domain/search/search.ts";
import { documentedRoutes } from "./openapi.ts";
import { MAX_FIELD_ERRORS } from "./problem.ts";

function errorsOf(res: Reply): { path: string; message: string }[] {
  invalidFields(res);
  return res.body.errors;
}

function messageAt(res: Reply, path: string): string | undefined {
  return errorsOf(res).find((e) => e.path === path)?.message;
}

Deno.test("unknown query parameters are 400 naming them", async (t) => {
  const h = await harness();
  const { token } = await h.register();

  await t.step("a typo on a list route no longer returns everything", async () => {
    const res = await h.call("GET", "/products?categroy=laptops");
    assert.deepEqual(errorsOf(res), [
      { path: "categroy", message: "unknown query parameter: categroy" },
    ]);
  });

  await t.step("named together with the other faults of the query", async () => {
    const res = await h.call("GET", "/products?categroy=laptops&size=0&utm_source=mail");
    assert.deepEqual(invalidFields(res).sort(), ["categroy", "size", "utm_source"]);
  });

  await t.step("declared and attr.<name>.<op> parameters still pass", async () => {
    const res = await h.call("GET", "/products?category=laptops&attr.ram_gb.gte=16&size=5");
    assert.equal(res.status, 200, res.text);
  });

  await t.step("a route without a query refuses any parameter", async () => {
    assert.deepEqual(invalidFields(await h.call("GET", "/health?verbose=1")), ["verbose"]);
    assert.deepEqual(invalidFields(await h.call("GET", "/cart?x=1", { token })), ["x"]);
    const body = { sku: "LAP-001-32-1024", qty: 1 };
    const add = await h.call("POST", "/cart/items?qty=5", { token, body });
    assert.deepEqual(invalidFields(add), ["qty"]);
    const cart = await h.call("GET", "/cart", { token });
    assert.deepEqual(cart.body.items, [], "nothing was added");
  });

  await t.step("authentication is still checked first", async () => {
    assertProblem(await h.call("GET", "/cart?x=1"), 401, "unauthenticated");
  });
});

Deno.test("unknown body fields are 400 naming them", async (t) => {
  const h = await harness();
  const { token } = await h.register();
  const admin = await h.admin();

  await t.step("top-level", async () => {
    const res = await h.call("POST", "/cart/items", {
      token,
      body: { sku: "LAP-001-32-1024", qty: 1, foo: true },
    });
    assert.deepEqual(errorsOf(res), [{ path: "foo", message: "unknown field: foo" }]);
    assert.deepEqual((await h.call("GET", "/cart", { token })).body.items, []);
  });

  await t.step("nested in an array", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "LAP-001-32-1024", qty: 1, priceCents: 1 }] },
    });
    assert.deepEqual(errorsOf(res), [
      { path: "items[0].priceCents", message: "unknown field: items[0].priceCents" },
    ]);
  });

  await t.step("nested objects of an admin body, every one named", async () => {
    const res = await h.call("POST", "/admin/products", {
      token: admin,
      body: {
        sku: "STRICT-1",
        name: "Strict",
        category: "testing",
        brand: "Polycart",
        priceCents: 100,
        ratings: { avg: 4, count: 1, best: 5 },
        variants: [{ sku: "STRICT-1-V", label: "V", attrs: {}, colour: "red" }],
        price: 100,
      },
    });
    assert.deepEqual(invalidFields(res).sort(), ["price", "ratings.best", "variants[0].colour"]);
  });

  await t.step("a flood of unknown fields is answered briefly", async () => {
    const flood = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`f${i}`, 0]),
    );
    const res = await h.call("POST", "/cart/items", {
      token,
      body: { sku: "LAP-001-32-1024", qty: 1, ...flood },
    });
    assert.equal(errorsOf(res).length, MAX_FIELD_ERRORS);
    assert.match(res.body.detail, /; and 9950 more$/);
  });

  await t.step("login and register too (a typo is not silently dropped)", async () => {
    const res = await h.call("POST", "/auth/register", {
      body: { email: "x@polycart.test", password: "correct horse battery", displayname: "X" },
    });
    assert.deepEqual(invalidFields(res), ["displayname"]);
  });
});

Deno.test("an empty Idempotency-Key header is 400, not a request without a key", async (t) => {
  const h = await harness();
  const { token } = await h.register();
  const headers = { "Idempotency-Key": "" };

  await t.step("POST /orders", async () => {
    const res = await h.call("POST", "/orders", {
      token,
      headers,
      body: { ...await h.delivery(), items: [{ sku: "LAP-001-32-1024", qty: 1 }] },
    });
    assert.deepEqual(errorsOf(res), [
      { path: "Idempotency-Key", message: "Idempotency-Key must not be empty" },
    ]);
    assert.equal((await h.call("GET", "/orders", { token })).body.total, 0, "no order placed");
  });

  await t.step("POST /payments", async () => {
    const res = await h.call("POST", "/payments", {
      token,
      headers,
      body: { orderId: "o-1", provider: "test", paymentToken: "tok_visa" },
    });
    assert.deepEqual(invalidFields(res), ["Idempotency-Key"]);
  });
});

Deno.test("a body that is not JSON is 415", async (t) => {
  const h = await harness();
  const { token } = await h.register();
  const json = JSON.stringify({ sku: "LAP-001-32-1024", qty: 1 });
  const add = (rawBody: BodyInit, headers: Record<string, string> = {}) =>
    h.call("POST", "/cart/items", { token, rawBody, headers });

  await t.step("text/plain", async () => {
    const res = await add(json, { "Content-Type": "text/plain" });
    assertProblem(res, 415, "unsupported_media_type");
    assert.match(res.body.detail, /application\/json.*text\/plain/);
    assert.deepEqual(res.body.accept, ["application/json"]);
  });

  await t.step("form data, urlencoded and multipart", async () => {
    assertProblem(
      await add(new URLSearchParams({ sku: "LAP-001-32-1024", qty: "1" })),
      415,
      "unsupported_media_type",
    );
    const form = new FormData();
    form.set("sku", "LAP-001-32-1024");
    form.set("qty", "1");
    assertProblem(await add(form), 415, "unsupported_media_type");
  });

  await t.step("no Content-Type with a body", async () => {
    const res = await add(new TextEncoder().encode(json));
    assertProblem(res, 415, "unsupported_media_type");
    assert.match(res.body.detail, /no Content-Type/);
  });

  await t.step("nothing was added by the refused requests", async () => {
    assert.deepEqual((await h.call("GET", "/cart", { token })).body.items, []);
  });

  await t.step("JSON with parameters, and +json types, are fine", async () => {
    const charset = await add(json, { "Content-Type": "Application/JSON; charset=utf-8" });
    assert.equal(charset.status, 200, charset.text);
    const vendor = await add(json, { "Content-Type": "application/vnd.polycart+json" });
    assert.equal(vendor.status, 200, vendor.text);
  });

  await t.step("no body needs no Content-Type", async () => {
    const placed = await h.call("POST", "/orders", { token, body: await h.delivery() });
    assert.equal(placed.status, 201, placed.text);
    const res = await h.call("POST", `/orders/${placed.body.id}/cancel`, {
      token,
      headers: { "Content-Type": "text/plain" },
    });
    assert.equal(res.status, 200, res.text);
  });
});

Deno.test("validation messages say what is wrong in words a client can act on", async (t) => {
  const h = await harness();
  const { token } = await h.register();
  const admin = await h.admin();
  const addItem = (body: unknown) => h.call("POST", "/cart/items", { token, body });

  await t.step("qty is required", async () => {
    assert.equal(messageAt(await addItem({ sku: "LAP-001-32-1024" }), "qty"), "qty is required");
  });

  await t.step("qty must be an integer from 1 to 1000", async () => {
    for (const qty of [0, 1_001, 1.5, "2", null]) {
      const res = await addItem({ sku: "LAP-001-32-1024", qty });
      assert.equal(messageAt(res, "qty"), "qty must be an integer from 1 to 1000", String(qty));
    }
  });

  await t.step("from must be an ISO 8601 date", async () => {
    const res = await h.call("GET", "/admin/analytics/revenue?from=yesterday&to=2025-03-01", {
      token: admin,
    });
    assert.deepEqual(errorsOf(res), [
      { path: "from", message: "from must be an ISO 8601 date" },
    ]);
  });

  await t.step("query integers, enums and booleans", async () => {
    const res = await h.call("GET", "/search?size=abc&sort=best&inStock=yes");
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    assert.deepEqual(errorsOf(res).toSorted(byPath), [
      { path: "inStock", message: "inStock must be one of true, false" },
      { path: "size", message: "size must be an integer from 1 to 100" },
      { path: "sort", message: `sort must be one of ${SEARCH_SORTS.join(", ")}` },
    ]);
  });

  await t.step("nested paths, formats and the whole body", async () => {
    const order = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku: "no way" }] },
    });
    assert.deepEqual(errorsOf(order), [
      {
        path: "items[0].sku",
        message: "items[0].sku must be a string matching ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
      },
      { path: "items[0].qty", message: "items[0].qty is required" },
    ]);
    const array = await h.call("POST", "/cart/items", { token, body: [] });
    assert.deepEqual(errorsOf(array), [
      { path: "", message: "the request body must be a JSON object" },
    ]);
  });

  await t.step("one entry per field, never the same field twice", async () => {
    const res = await h.call("POST", "/auth/register", {
      body: { email: `${"x".repeat(300)}`, password: "short" },
    });
    assert.deepEqual(errorsOf(res), [
      { path: "email", message: "email must be an email address of at most 254 characters" },
      { path: "password", message: "password must be a string of 8 to 1024 characters" },
    ]);
    assert.equal(res.body.detail, errorsOf(res).map((e) => e.message).join("; "));
  });

  await t.step("a refinement keeps its own words", async () => {
    const res = await h.call("PATCH", "/admin/inventory/LAP-001-32-1024", {
      token: admin,
      body: { stock: 1, delta: 1 },
    });
    assert.deepEqual(errorsOf(res), [
      { path: "delta", message: "give either stock or delta, not both" },
    ]);
  });
});

/** Paths inside `schema` where an object would accept members it does not declare. */
function looseObjects(schema: z.core.$ZodType, path = "(body)"): string[] {
  // deno-lint-ignore no-explicit-any
  const def = schema._zod.def as any;
  switch (def.type) {
    case "object": {
      const strict = def.catchall?._zod.def.type === "never";
      return [
        ...(strict ? [] : [path]),
        ...Object.entries(def.shape as Record<string, z.core.$ZodType>)
          .flatMap(([key, value]) => looseObjects(value, `${path}.${key}`)),
      ];
    }
    case "array":
      return looseObjects(def.element, `${path}[]`);
    case "record":
      return looseObjects(def.valueType, `${path}{}`);
    case "union":
      return (def.options as z.core.$ZodType[]).flatMap((o) => looseObjects(o, path));
    case "pipe":
      return looseObjects(def.in, path);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return looseObjects(def.innerType, path);
    default:
      return [];
  }
}

Deno.test("every request body schema is strict, nested objects included", async () => {
  const h = await harness({ seed: false });
  const loose = documentedRoutes(h.app.routes).flatMap(({ method, path, spec }) =>
    spec.body ? looseObjects(spec.body).map((at) => `${method} ${path}: ${at}`) : []
  );
  assert.deepEqual(loose, [], "use z.strictObject for request bodies");
});

Deno.test("/openapi.json documents the strict-input answers", async (t) => {
  const h = await harness({ seed: false });
  const doc = (await h.call("GET", "/openapi.json")).body;
  // deno-lint-ignore no-explicit-any
  const operations = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
    // deno-lint-ignore no-explicit-any
    Object.entries(item).map(([method, op]: [string, any]) => ({ at: `${method} ${path}`, op }))
  );

  await t.step("400 on every operation (unknown query parameters)", () => {
    assert.deepEqual(operations.filter(({ op }) => !op.responses["400"]).map((o) => o.at), []);
  });

  await t.step("415 on every operation with a body, and only there", () => {
    const wrong = operations.filter(({ op }) =>
      Boolean(op.requestBody) !== Boolean(op.responses["415"])
    );
    assert.deepEqual(wrong.map((o) => o.at), []);
    assert.match(doc.paths["/orders"].post.responses["415"].description, /unsupported_media_type/);
  });

  await t.step("request bodies declare additionalProperties: false", () => {
    const { CreateProductRequest, PlaceOrderRequest } = doc.components.schemas;
    assert.equal(CreateProductRequest.additionalProperties, false);
    assert.equal(PlaceOrderRequest.properties.items.items.additionalProperties, false);
  });
});
