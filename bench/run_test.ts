import assert from "node:assert/strict";
import { esSearchBody, SCENARIOS } from "./run.ts";
import { bareHello, honoHello } from "./hello_server.ts";
import { boundsFor } from "./bounds.ts";
import type { ScenarioResult } from "./report.ts";

Deno.test("esSearchBody() parses the query string as the route does and builds its body", () => {
  const body = esSearchBody("q=running+shoes&inStock=true&minPrice=100&page=2&size=5") as {
    query: { bool: { must: unknown[]; filter: unknown[] } };
    from: number;
    size: number;
    aggs: Record<string, unknown>;
  };
  assert.equal(body.query.bool.must.length, 2);
  assert.deepEqual(body.query.bool.filter, [
    { range: { priceCents: { gte: 100 } } },
    { term: { inStock: true } },
  ]);
  assert.equal(body.from, 5);
  assert.equal(body.size, 5);
  assert.deepEqual(Object.keys(body.aggs), ["category", "brand", "price"]);
});

Deno.test("the hello servers answer the same bytes and content type", async () => {
  const hono = await honoHello().request("/hello");
  const bare = bareHello()(new Request("http://x/hello"));
  assert.equal(hono.headers.get("content-type"), bare.headers.get("content-type"));
  assert.equal(await hono.text(), await bare.text());
});

Deno.test("boundsFor() explains only scenarios that missed a target", () => {
  const base: ScenarioResult = {
    id: "ratelimit",
    title: "rate-limited route",
    baselineTitle: "off",
    api: null,
    baseline: null,
    ratio: 0.7,
    checks: [{ name: "ratio", target: ">= 0.8", actual: "0.70", pass: false }],
    figures: {},
    notes: [],
  };
  const [entry] = boundsFor(base);
  assert.equal(entry.scenario, "rate-limited route");
  assert.match(entry.text, /^missed ratio \(0\.70, wanted >= 0\.8\)\./);
  assert.deepEqual(boundsFor({ ...base, checks: [{ ...base.checks[0], pass: true }] }), []);
  assert.equal(SCENARIOS.length, 8);
});
