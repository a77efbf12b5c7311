import assert from "node:assert/strict";
import { harness } from "./_harness_test.ts";
import { documentedRoutes, openApiPath, undocumentedRoutes } from "./openapi.ts";
import { REQUEST_EXAMPLES } from "./_request_examples.ts";
import { PROBLEMS } from "./problem.ts";

/** The route table, every row. */
const REQUIRED = [
  "POST /auth/register",
  "POST /auth/login",
  "POST /auth/logout",
  "GET /me",
  "PATCH /me",
  "GET /products/{sku}/reviews",
  "POST /products/{sku}/reviews",
  "PATCH /reviews/{id}",
  "DELETE /reviews/{id}",
  "POST /reviews/{id}/helpful",
  "GET /admin/reviews",
  "POST /admin/reviews/{id}/approve",
  "POST /admin/reviews/{id}/reject",
  "GET /me/rank",
  "GET /products",
  "GET /products/{skuOrSlug}",
  "GET /categories",
  "GET /categories/{slug}",
  "GET /vendors/search",
  "GET /vendors/{slug}",
  "GET /vendors/{slug}/products",
  "GET /cart",
  "POST /cart/items",
  "PUT /cart/items/{sku}",
  "DELETE /cart/items/{sku}",
  "DELETE /cart",
  "POST /orders",
  "GET /orders",
  "GET /orders/{id}",
  "POST /orders/{id}/cancel",
  "POST /payments",
  "POST /webhooks/stripe",
  "GET /search",
  "GET /search/autocomplete",
  "GET /leaderboards/products",
  "GET /leaderboards/customers",
  "GET /admin/products",
  "POST /admin/products",
  "PATCH /admin/products/{sku}",
  "DELETE /admin/products/{sku}",
  "POST /admin/categories",
  "PATCH /admin/categories/{slug}",
  "DELETE /admin/categories/{slug}",
  "GET /admin/vendors",
  "POST /admin/vendors",
  "PATCH /admin/vendors/{slug}",
  "DELETE /admin/vendors/{slug}",
  "GET /admin/inventory",
  "PATCH /admin/inventory/{sku}",
  "GET /admin/warehouses",
  "POST /admin/warehouses",
  "PATCH /admin/warehouses/{code}",
  "GET /me/addresses",
  "POST /me/addresses",
  "GET /me/addresses/{id}",
  "PATCH /me/addresses/{id}",
  "DELETE /me/addresses/{id}",
  "GET /cart/shipping-options",
  "GET /cart/quote",
  "GET /admin/shipping/zones",
  "POST /admin/shipping/zones",
  "GET /admin/shipping/zones/{id}",
  "PATCH /admin/shipping/zones/{id}",
  "DELETE /admin/shipping/zones/{id}",
  "GET /admin/shipping/options",
  "POST /admin/shipping/options",
  "GET /admin/shipping/options/{id}",
  "PATCH /admin/shipping/options/{id}",
  "DELETE /admin/shipping/options/{id}",
  "GET /admin/tax/rates",
  "POST /admin/tax/rates",
  "GET /admin/tax/rates/{id}",
  "PATCH /admin/tax/rates/{id}",
  "DELETE /admin/tax/rates/{id}",
  "GET /admin/orders/search",
  "GET /admin/orders/{id}",
  "GET /admin/users",
  "GET /admin/orders",
  "POST /admin/orders/{id}/ship",
  "POST /admin/orders/{id}/deliver",
  "POST /admin/orders/{id}/refund",
  "GET /admin/analytics/revenue",
  "POST /admin/search/reindex",
  "GET /admin/search/reindex",
  "GET /admin/sync/status",
  "GET /admin/duties",
  "GET /health",
  "GET /ready",
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/scalar.js",
  "GET /docs/page.js",
  "GET /",
];

// deno-lint-ignore no-explicit-any
type Json = any;

function refs(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref") out.push(value as string);
      else refs(value, out);
    }
  }
  return out;
}

interface Shed {
  readonly description?: string;
  readonly headers?: Record<string, unknown>;
}

Deno.test("GET /openapi.json documents every mounted route as OpenAPI 3.1", async (t) => {
  const h = await harness({ seed: false });
  const res = await h.call("GET", "/openapi.json");
  const doc: Json = res.body;

  await t.step("is an OpenAPI 3.1 document", () => {
    assert.equal(res.status, 200);
    assert.equal(doc.openapi, "3.1.0");
    assert.equal(typeof doc.info.title, "string");
    assert.equal(typeof doc.info.version, "string");
    assert.match(doc.info.description, /cents/);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: "http",
      scheme: "bearer",
      description: doc.components.securitySchemes.bearerAuth.description,
    });
  });

  await t.step("covers the whole route table", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`)
    );
    assert.deepEqual(REQUIRED.filter((r) => !documented.includes(r)), []);
    assert.deepEqual(documented.filter((r) => !REQUIRED.includes(r)), []);
  });

  await t.step("no mounted route lacks a spec", () => {
    assert.deepEqual(undocumentedRoutes(h.app.routes), []);
    assert.equal(documentedRoutes(h.app.routes).length, REQUIRED.length);
  });

  await t.step("every $ref resolves to a component", () => {
    const missing = refs(doc).filter((ref) => {
      const name = ref.replace("#/components/schemas/", "");
      return !ref.startsWith("#/components/schemas/") || !(name in doc.components.schemas);
    });
    assert.deepEqual(missing, []);
  });

  await t.step("each operation: id, path parameters, success and problem responses", () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths) as [string, Json][]) {
      for (const [method, op] of Object.entries(item) as [string, Json][]) {
        const where = `${method} ${path}`;
        assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        const declared = op.parameters.filter((p: Json) => p.in === "path").map((p: Json) =>
          p.name
        );
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        assert.deepEqual(declared, inPath, where);
        const statuses = Object.keys(op.responses);
        assert.ok(statuses.some((s) => s.startsWith("2")), where);
        assert.ok(
          op.responses["500"].content["application/problem+json"].schema.$ref.endsWith("Problem"),
          where,
        );
      }
    }
  });

  await t.step("the description has an entry for every problem type", () => {
    const missing = Object.keys(PROBLEMS).filter((code) =>
      !doc.info.description.includes(`### Problem: ${code.replaceAll("_", " ")}\n`)
    );
    assert.deepEqual(missing, []);
  });

  await t.step("access rules: bearer security, 401 and 403 where they apply", () => {
    const me = doc.paths["/me"].get;
    assert.deepEqual(me.security, [{ bearerAuth: [] }]);
    assert.ok(me.responses["401"]);
    const admin = doc.paths["/admin/inventory"].get;
    assert.ok(admin.responses["401"] && admin.responses["403"]);
    assert.equal(doc.paths["/products"].get.security, undefined);
    assert.equal(doc.paths["/health"].get.responses["429"], undefined);
    assert.ok(doc.paths["/products"].get.responses["429"]);
  });

  await t.step("every route but the probes may be shed: 503 overloaded with Retry-After", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const ops = item as Record<string, { responses: Record<string, Shed | undefined> }>;
      for (const op of Object.values(ops)) {
        const shed = op.responses["503"];
        if (path === "/health" || path === "/ready") {
          assert.doesNotMatch(shed?.description ?? "", /overloaded/, path);
          continue;
        }
        assert.match(shed?.description ?? "", /overloaded/, path);
        assert.ok(shed?.headers?.["Retry-After"], path);
      }
    }
  });

  await t.step("documents the route-specific problems", () => {
    const orders = doc.paths["/orders"].post.responses;
    assert.ok(orders["409"] && orders["422"] && orders["413"] && orders["400"]);
    assert.match(orders["409"].description, /insufficient_stock/);
    // Delivery terms: another user's address or an unknown option, an option not serving the
    // address's country.
    assert.match(orders["404"]?.description ?? "", /not_found/);
    assert.match(orders["422"]?.description ?? "", /shipping_unavailable/);
    const payments = doc.paths["/payments"].post.responses;
    assert.ok(payments["402"] && payments["502"] && payments["409"]);
    // A product SKU sold in variants, added or ordered: schemathesis found it undocumented.
    for (const responses of [orders, doc.paths["/cart/items"].post.responses]) {
      assert.match(responses["422"]?.description ?? "", /variant_required/);
    }
  });

  await t.step("parameters and bodies come from the validating schemas", () => {
    const params = doc.paths["/products"].get.parameters;
    const size = params.find((p: Json) => p.name === "size");
    assert.deepEqual({
      max: size.schema.maximum,
      min: size.schema.minimum,
      def: size.schema.default,
    }, {
      max: 100,
      min: 1,
      def: 20,
    });
    const sort = params.find((p: Json) => p.name === "sort");
    assert.deepEqual(sort.schema.enum, ["rating", "price_asc", "price_desc", "newest"]);
    const attr = params.find((p: Json) => p.style === "form" && p.explode);
    assert.match(attr.schema.propertyNames.pattern, /eq\|gt\|gte\|lt\|lte/);
    const search = doc.paths["/search"].get.parameters;
    assert.match(search.find((p: Json) => p.name === "minPrice").description, /cents/);
    const key = doc.paths["/orders"].post.parameters.find((p: Json) => p.in === "header");
    assert.equal(key.name, "Idempotency-Key");
    assert.equal(key.required, false);
    const register = doc.components.schemas.RegisterRequest;
    assert.deepEqual(register.required.sort(), ["email", "password"]);
    assert.equal(register.properties.password.minLength, 8);
    assert.equal(doc.paths["/auth/register"].post.requestBody.required, true);
    assert.equal(doc.paths["/orders"].post.requestBody.required, false);
    const payment = doc.components.schemas.Payment;
    assert.deepEqual(Object.keys(payment.properties).sort(), [
      "amountCents",
      "id",
      "orderId",
      "processedAt",
      "provider",
      "providerRef",
      "status",
    ]);
  });

  await t.step("is stable across requests", async () => {
    const again = await h.call("GET", "/openapi.json");
    assert.equal(again.text, res.text);
    assert.equal(openApiPath("/orders/:id/cancel"), "/orders/{id}/cancel");
  });
});

Deno.test("request bodies carry examples the route itself accepts", async (t) => {
  const h = await harness({ seed: false });
  const doc: Json = (await h.call("GET", "/openapi.json")).body;
  const withBody = documentedRoutes(h.app.routes).filter((r) => r.spec.body);

  await t.step("every body has examples in the document", () => {
    const missing = withBody.filter((r) => {
      const content = doc.paths[openApiPath(r.path)][r.method.toLowerCase()].requestBody
        .content["application/json"];
      return Object.keys(content.examples ?? {}).length === 0;
    });
    assert.deepEqual(missing.map((r) => `${r.method} ${r.path}`), []);
  });

  await t.step("every example passes the route's body schema", () => {
    for (const route of withBody) {
      for (
        const [name, example] of Object.entries(REQUEST_EXAMPLES[`${route.method} ${route.path}`])
      ) {
        const result = route.spec.body!.safeParse(example.value);
        assert.ok(result.success, `${route.method} ${route.path} ${name}: ${result.error}`);
      }
    }
  });

  await t.step("no example belongs to a route without a body", () => {
    const keys = new Set(withBody.map((r) => `${r.method} ${r.path}`));
    assert.deepEqual(Object.keys(REQUEST_EXAMPLES).filter((k) => !keys.has(k)), []);
  });
});
