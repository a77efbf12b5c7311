import assert from "node:assert/strict";
import { BODIES } from "./bodies.ts";
import { SCENARIOS } from "./scenarios.ts";
import { esSearchBody, plainBody, withDrawnSize } from "./search_scenario.ts";
import { taskArgv } from "./_servers.ts";
import {
  AddCartItemRequest,
  LoginRequest,
  PlaceOrderRequest,
  RegisterRequest,
  UpdateProductRequest,
} from "../adapters/http/schemas.ts";
import { ADMIN, catalogSku } from "./fixtures.ts";
import { bareHello, honoHello } from "./hello_server.ts";
import { boundsFor } from "./bounds.ts";
import type { ScenarioResult } from "./result.ts";

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
  assert.deepEqual(Object.keys(body.aggs), ["category", "brand", "vendor", "attrs", "price"]);
  const plain = plainBody("q=running+shoes&inStock=true&minPrice=100&page=2&size=5") as {
    query: { bool: { must: { multi_match: Record<string, unknown> }[]; filter: unknown[] } };
    from: number;
    size: number;
  };
  assert.deepEqual(plain.query.bool.filter, body.query.bool.filter, "the same filters");
  assert.equal(plain.query.bool.must[0].multi_match.query, "running shoes");
  assert.equal("fuzziness" in plain.query.bool.must[0].multi_match, false);
  assert.deepEqual([plain.from, plain.size], [5, 5]);
  assert.equal("aggs" in plain, false);
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
  assert.equal(SCENARIOS.length, 10);
});

Deno.test("taskArgv() runs what a deno.json task runs, in either shape", async (t) => {
  const root = "/repo/";
  const argv = ["/bin/deno", "run", "--allow-net", "/repo/main.ts"];
  await t.step("a task as an object with command and dependencies", () => {
    const config = {
      tasks: { start: { command: "deno run --allow-net main.ts", dependencies: ["install"] } },
    };
    assert.deepEqual(taskArgv(config, "start", root, "/bin/deno"), argv);
  });
  await t.step("a task as a plain command string", () => {
    const config = { tasks: { start: "deno run --allow-net main.ts" } };
    assert.deepEqual(taskArgv(config, "start", root, "/bin/deno"), argv);
  });
  await t.step("the repository's own start and worker tasks", async () => {
    const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
    for (const [name, entry] of [["start", "main.ts"], ["worker", "worker.ts"]]) {
      const args = taskArgv(config, name, root, "/bin/deno");
      assert.deepEqual(args.slice(0, 2), ["/bin/deno", "run"]);
      assert.equal(args.at(-1), `${root}${entry}`);
    }
  });
  await t.step("a missing task or another command is refused, naming the task", () => {
    assert.throws(() => taskArgv({ tasks: {} }, "start", root, "d"), /task start is not/);
    assert.throws(
      () => taskArgv({ tasks: { start: { command: "npm start" } } }, "start", root, "d"),
      /task start is not a "deno run" command/,
    );
  });
});

Deno.test("every body the bench sends holds only documented fields (strict schemas)", () => {
  const sku = catalogSku(0);
  const cases = [
    [AddCartItemRequest, BODIES.cartItem.replace("{sku}", sku)],
    [PlaceOrderRequest, BODIES.order("ship-1").replace("{sku}", sku)],
    [RegisterRequest, BODIES.register(7)],
    [LoginRequest, JSON.stringify(ADMIN)],
    [UpdateProductRequest, BODIES.rename("Visibility probe 1 zqabc")],
  ] as const;
  for (const [schema, body] of cases) {
    const parsed = schema.strict().safeParse(JSON.parse(body));
    assert.ok(parsed.success, `${body}: ${parsed.error?.message}`);
  }
  assert.equal(
    AddCartItemRequest.strict().safeParse({ sku, qty: 1, extra: 1 }).success,
    false,
    "strict mode refuses an unknown field",
  );
});

Deno.test("withDrawnSize() leaves only the page size to the load tool's draw", () => {
  const body = { query: { match_all: {} }, size: 20, aggs: { brand: { terms: { size: 100 } } } };
  const json = withDrawnSize(body);
  assert.equal(json.split("{sku}").length, 2, "one slot");
  const drawn = JSON.parse(json.replace("{sku}", "17"));
  assert.deepEqual(drawn, { ...body, size: 17 });
});
