/**
 * The way in: the index at `/`, the OpenAPI document, and the interactive reference at /docs
 * (Scalar's API reference, served from the npm package by this API so it works offline).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type Asset, docsScript, scalarBundle } from "./_docs_assets.ts";
import { type AppEnv, route } from "./_route.ts";

const ApiIndex = z.object({
  name: z.string(),
  links: z.object({
    docs: z.string().describe("The interactive API reference (HTML)."),
    openapi: z.string().describe("This API as an OpenAPI 3.1 document."),
    health: z.string().describe("Liveness probe."),
  }),
}).meta({
  examples: [{
    name: "Polycart API",
    links: { docs: "/docs", openapi: "/openapi.json", health: "/health" },
  }],
});

const OpenApiDocument = z.record(z.string(), z.unknown());

const index = route({
  tag: "Operations",
  summary: "Where to start: links to the reference, the OpenAPI document and the health probe",
  access: "public",
  success: { status: 200, description: "The links.", schema: ApiIndex },
});

const openapi = route({
  tag: "Operations",
  summary: "This API as an OpenAPI 3.1 document",
  description: "Generated from the same zod schemas the server validates with.",
  access: "public",
  success: { status: 200, description: "The OpenAPI document.", schema: OpenApiDocument },
});

const docs = route({
  tag: "Operations",
  summary: "Interactive API reference",
  description: "Scalar's API reference over /openapi.json: every operation with request " +
    'examples, code samples and a "Test Request" client that calls this API (log in with ' +
    "POST /auth/login, then give the token under Authentication). Its scripts are " +
    "/docs/scalar.js and /docs/page.js; it loads nothing from another origin.",
  access: "public",
  success: { status: 200, description: "HTML.", schema: z.string(), contentType: "text/html" },
});

const SCRIPT_HEADERS = {
  ETag: "Changes when the file does.",
  "Cache-Control": "`no-cache`: revalidate with `If-None-Match` (answered 304 when unchanged).",
};

const scalarJs = route({
  tag: "Operations",
  summary: "The API reference's bundle (Scalar's standalone build)",
  access: "public",
  success: {
    status: 200,
    description: "JavaScript (gzip when accepted).",
    schema: z.string(),
    contentType: "text/javascript",
    headers: SCRIPT_HEADERS,
  },
});

const pageJs = route({
  tag: "Operations",
  summary: "The API reference page's script",
  access: "public",
  success: {
    status: 200,
    description: "JavaScript.",
    schema: z.string(),
    contentType: "text/javascript",
    headers: SCRIPT_HEADERS,
  },
});

/**
 * Nothing from another origin, no inline script, no eval. `<style>` elements need this
 * response's nonce (Scalar reads it from the `csp-nonce` meta tag; page.js hands it to the
 * elements the bundle creates). Style attributes are allowed: Scalar's code samples are
 * highlighted into HTML carrying `style="--line-count: N"`, and an attribute can neither
 * select other elements nor load anything (images and fonts come only from this origin).
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function page(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="csp-nonce" content="${nonce}">
<link rel="icon" href="data:,">
<title>Polycart API reference</title>
</head>
<body>
<div id="reference"></div>
<script src="/docs/page.js"></script>
<script src="/docs/scalar.js"></script>
</body>
</html>
`;
}

/** `If-None-Match` compares weakly (RFC 9110): `W/` prefixes do not count; `*` matches. */
function unchanged(ifNoneMatch: string | undefined, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return (ifNoneMatch ?? "").split(",").some((tag) =>
    tag.trim() === "*" || opaque(tag) === opaque(etag)
  );
}

function serveScript(c: Context<AppEnv>, file: Asset): Response {
  c.header("Content-Type", "text/javascript; charset=utf-8");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Cache-Control", "no-cache");
  c.header("ETag", file.etag);
  c.header("Vary", "Accept-Encoding");
  if (unchanged(c.req.header("if-none-match"), file.etag)) return c.body(null, 304);
  if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
    c.header("Content-Encoding", "gzip");
    return c.body(file.gzipped, 200);
  }
  return c.body(file.body, 200);
}

/** `document` is built on first use, once every route is mounted. */
export function docsRoutes(document: () => Record<string, unknown>) {
  return new Hono<AppEnv>()
    .get("/", index.guard, (c) =>
      c.json({
        name: "Polycart API",
        links: { docs: "/docs", openapi: "/openapi.json", health: "/health" },
      }, 200))
    .get("/openapi.json", openapi.guard, (c) => c.json(document(), 200))
    .get("/docs", docs.guard, (c) => {
      const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
      c.header("Content-Security-Policy", contentSecurityPolicy(nonce));
      c.header("Cache-Control", "no-store");
      return c.html(page(nonce), 200);
    })
    .get("/docs/scalar.js", scalarJs.guard, async (c) => serveScript(c, await scalarBundle()))
    .get("/docs/page.js", pageJs.guard, async (c) => serveScript(c, await docsScript()));
}
