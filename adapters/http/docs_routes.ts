/** The OpenAPI document and the HTML reference rendered from it. */
import { Hono } from "hono";
import { z } from "zod";
import { renderDocs } from "./_docs_html.ts";
import { type AppEnv, route } from "./_route.ts";

const OpenApiDocument = z.record(z.string(), z.unknown());

const openapi = route({
  tag: "Operations",
  summary: "This API as an OpenAPI 3.1 document",
  description: "Generated from the same zod schemas the server validates with.",
  access: "public",
  success: { status: 200, description: "The OpenAPI document.", schema: OpenApiDocument },
});

const docs = route({
  tag: "Operations",
  summary: "Browsable API reference",
  description: "One self-contained HTML page rendered from /openapi.json.",
  access: "public",
  success: {
    status: 200,
    description: "HTML.",
    schema: z.string(),
    contentType: "text/html",
  },
});

/** `document` is built on first use, once every route is mounted. */
export function docsRoutes(document: () => Record<string, unknown>) {
  let html: string | undefined;
  return new Hono<AppEnv>()
    .get("/openapi.json", openapi.guard, (c) => c.json(document(), 200))
    .get("/docs", docs.guard, (c) => {
      html ??= renderDocs(document());
      c.header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " +
          "form-action 'none'; frame-ancestors 'none'",
      );
      return c.html(html, 200);
    });
}
