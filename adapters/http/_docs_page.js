// The script of /docs, served as /docs/page.js and loaded before /docs/scalar.js (the page
// allows no inline script). It prepares the page for its Content-Security-Policy, then mounts
// Scalar's API reference on this API's own /openapi.json with everything that would reach
// another origin turned off: web fonts, telemetry, the request proxy ("Test Request" calls
// this origin directly), the AI agent and the MCP integration.
"use strict";

// `style-src-elem` allows only this page's nonce. Scalar gives it to its main stylesheet; the
// few `<style>` elements its components create (toasts, theme) get it here. Markup parsed from
// strings (descriptions, highlighted code) never does, so injected `<style>` stays blocked.
const nonce = document.querySelector('meta[property="csp-nonce"]').content;
const createElement = document.createElement.bind(document);
document.createElement = (tagName, options) => {
  const element = createElement(tagName, options);
  if (element instanceof HTMLStyleElement) element.nonce = nonce;
  return element;
};

// The zod inside the bundle probes `Function("")` for a faster parser; `script-src` forbids
// eval, so say up front that it is not available instead of logging a violation.
globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

// A problem's `type` is `/docs#problem-<code>`; its entry is the description's heading
// "Problem: <code>", whose anchor Scalar spells `#description/problem-<code with - for _>`.
const problem = /^#problem-([a-z_]+)$/.exec(location.hash);
if (problem) {
  history.replaceState(null, "", `#description/problem-${problem[1].replaceAll("_", "-")}`);
}

document.addEventListener("DOMContentLoaded", () => {
  globalThis.Scalar.createApiReference("#reference", {
    url: "/openapi.json",
    slug: "api",
    // The document's server is "/", which Scalar joins with "/products" into "//products".
    servers: [{ url: location.origin, description: "This API" }],
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
    persistAuth: false,
    documentDownloadType: "json",
    authentication: { preferredSecurityScheme: "bearerAuth" },
    defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  });
});
