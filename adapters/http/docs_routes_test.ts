import assert from "node:assert/strict";
import { harness } from "./_harness_test.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
}

Deno.test("GET / links the reference, the OpenAPI document and the health probe", async (t) => {
  const h = await harness({ seed: false });
  const res = await h.call("GET", "/");

  await t.step("answers the links as JSON", () => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(res.body, {
      name: "Polycart API",
      links: { docs: "/docs", openapi: "/openapi.json", health: "/health" },
    });
  });

  await t.step("every link answers 200", async () => {
    for (const link of Object.values(res.body.links) as string[]) {
      assert.equal((await h.call("GET", link)).status, 200, link);
    }
  });

  await t.step("is documented", async () => {
    const doc: Json = (await h.call("GET", "/openapi.json")).body;
    const op = doc.paths["/"].get;
    assert.equal(op.security, undefined);
    const schema = op.responses["200"].content["application/json"].schema;
    assert.deepEqual(Object.keys(schema.properties.links.properties).sort(), [
      "docs",
      "health",
      "openapi",
    ]);
  });
});

Deno.test("GET /docs serves Scalar's reference under a same-origin-only CSP", async (t) => {
  const h = await harness({ seed: false });
  const res = await h.call("GET", "/docs");
  const csp = directives(res.headers.get("content-security-policy") ?? "");
  const nonce = res.text.match(/<meta property="csp-nonce" content="([^"]+)">/)?.[1];

  await t.step("an HTML page that loads this API's two scripts, page.js first", () => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.ok(res.text.startsWith("<!doctype html>"));
    const scripts = [...res.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    assert.deepEqual(scripts.map((s) => s[1]), [
      ' src="/docs/page.js"',
      ' src="/docs/scalar.js"',
    ]);
    assert.ok(scripts.every((s) => s[2] === ""), "no inline script");
    assert.ok(!/(src|href)="(https?:)?\/\//i.test(res.text), "no other origin");
  });

  await t.step("the policy allows only this origin, no inline script and no eval", () => {
    assert.deepEqual(csp.get("default-src"), ["'none'"]);
    assert.deepEqual(csp.get("script-src"), ["'self'"]);
    assert.deepEqual(csp.get("style-src-elem"), ["'self'", `'nonce-${nonce}'`]);
    assert.deepEqual(csp.get("connect-src"), ["'self'"]);
    assert.deepEqual(csp.get("img-src"), ["'self'", "data:"]);
    assert.deepEqual(csp.get("font-src"), ["'self'"]);
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
    for (const [name, values] of csp) {
      assert.ok(!values.some((v) => /^(https?:|\*|'unsafe-eval')/.test(v)), name);
    }
  });

  await t.step("each answer has a fresh nonce", async () => {
    const again = await h.call("GET", "/docs");
    assert.ok(nonce && nonce.length >= 16);
    assert.ok(!again.text.includes(nonce));
    assert.equal(again.headers.get("cache-control"), "no-store");
  });
});

Deno.test("GET /docs/scalar.js and /docs/page.js serve the scripts, gzipped and cacheable", async (t) => {
  const h = await harness({ seed: false });

  await t.step("the bundle comes from the npm package, with its version in the ETag", async () => {
    const res = await h.call("GET", "/docs/scalar.js");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match(res.headers.get("etag") ?? "", /^W\/"scalar-\d+\.\d+\.\d+"$/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.ok(res.text.includes("createApiReference"));
  });

  await t.step("gzip when accepted, the same bytes once inflated", async () => {
    const plain = await h.app.request("/docs/scalar.js");
    const zipped = await h.app.request("/docs/scalar.js", {
      headers: { "Accept-Encoding": "gzip, deflate, br" },
    });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    assert.equal(zipped.headers.get("vary"), "Accept-Encoding");
    const inflated = await new Response(
      zipped.body!.pipeThrough(new DecompressionStream("gzip")),
    ).arrayBuffer();
    const original = await plain.arrayBuffer();
    assert.ok(inflated.byteLength === original.byteLength && inflated.byteLength > 100_000);
  });

  await t.step("304 when the ETag still matches", async () => {
    const first = await h.call("GET", "/docs/page.js");
    const etag = first.headers.get("etag")!;
    for (const header of [etag, etag.slice(2), `"other", ${etag}`, "*"]) {
      const again = await h.call("GET", "/docs/page.js", { headers: { "If-None-Match": header } });
      assert.equal(again.status, 304, header);
      assert.equal(again.text, "");
    }
    const changed = await h.call("GET", "/docs/page.js", { headers: { "If-None-Match": '"x"' } });
    assert.equal(changed.status, 200);
  });

  await t.step("the page script turns off every fetch to another origin", async () => {
    const res = await h.call("GET", "/docs/page.js");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/javascript/);
    for (
      const setting of [
        'url: "/openapi.json"',
        "withDefaultFonts: false",
        "telemetry: false",
        "agent: { disabled: true }",
        "mcp: { disabled: true }",
        "persistAuth: false",
      ]
    ) assert.ok(res.text.includes(setting), setting);
    assert.ok(!/proxyUrl|https?:\/\//.test(res.text));
  });
});
