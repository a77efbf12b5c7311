/**
 * /docs in a real browser: headless Chromium (the system's, from CHROMIUM_PATH; CI installs
 * Debian's) driven by puppeteer-core opens the reference served by the API on the memory
 * adapters, finds the operations, sends "Test Request" for GET /products, for POST
 * /auth/register with its example body and for GET /me with a bearer token, and sees each
 * answer in the reference's response panel, follows a problem `type` link to its entry, with
 * no Content-Security-Policy violation and no request to another origin.
 */
import assert from "node:assert/strict";
import puppeteer, { type Browser, type ElementHandle, type Page } from "puppeteer-core";
import { harness } from "../adapters/http/_harness_test.ts";
import { REQUEST_EXAMPLES } from "../adapters/http/_request_examples.ts";

const chromium = Deno.env.get("CHROMIUM_PATH") || undefined;
if (!chromium) {
  console.warn(
    "\n!!! CHROMIUM_PATH is not set: the /docs browser test is SKIPPED.\n" +
      "!!! Set it to a Chromium binary (CI installs Debian's chromium and always does).\n",
  );
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Generous for a shared 2-core machine; a healthy run takes a few seconds in all. */
const WAIT_MS = 30_000;

// Browser-side code is passed as source text: this file is type-checked without the DOM lib.

/** The first visible button whose text matches `pattern`, once there is one. */
async function button(page: Page, pattern: RegExp): Promise<ElementHandle> {
  const handle = await page.waitForFunction(
    `[...document.querySelectorAll("button")].find((b) => b.offsetParent !== null &&
      ${pattern}.test(b.textContent.trim()))`,
    { timeout: WAIT_MS },
  );
  return handle as unknown as ElementHandle;
}

/** Waits until the API client's response panel (a live region) reports `status` ("200 OK"). */
async function responseStatus(page: Page, status: string): Promise<void> {
  await page.waitForFunction(
    `[...document.querySelectorAll("[aria-live=polite]")].some((e) => e.offsetParent !== null &&
      e.textContent.includes("Status:") && e.textContent.includes(${JSON.stringify(status)}))`,
    { timeout: WAIT_MS },
  );
}

const REPORT_CSP_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (e) =>
  console.error("Content Security Policy violation: " + e.effectiveDirective + " " + e.blockedURI));`;

Deno.test({
  name: "/docs in Chromium: operations listed, Test Request answers 200, no CSP violation",
  ignore: !chromium,
  async fn(t) {
    const h = await harness({ seed: true });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, h.app.fetch);
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const profile = await Deno.makeTempDir({ prefix: "polycart_chromium_" });
    let browser: Browser | undefined;
    try {
      browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        args: [...FLAGS, `--user-data-dir=${profile}`],
      });
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      const violations: string[] = [];
      const elsewhere: string[] = [];
      const apiCalls: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      page.on("pageerror", (error) => violations.push(`page error: ${error}`));
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (url.origin !== origin && url.protocol !== "data:") elsewhere.push(request.url());
      });
      page.on("response", (response) => {
        const url = new URL(response.url());
        if (!url.pathname.startsWith("/docs") && url.pathname !== "/openapi.json") {
          apiCalls.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
        }
      });
      await page.evaluateOnNewDocument(REPORT_CSP_VIOLATIONS);

      await t.step("the reference lists the operations of every tag", async () => {
        await page.goto(`${origin}/docs#tag/products/GET/products`, {
          waitUntil: "domcontentloaded",
        });
        await button(page, /^Test Request\(get \/products\)$/);
        const doc = await (await fetch(`${origin}/openapi.json`)).json();
        const tags: string[] = doc.tags.map((tag: { name: string }) => tag.name.toLowerCase());
        const links = await page.$$eval(
          "a[href^='#tag/']",
          (as) => as.map((a) => a.getAttribute("href") ?? ""),
        );
        assert.deepEqual(tags.filter((tag) => !links.includes(`#tag/${tag}`)), []);
        assert.ok(links.includes("#tag/products/GET/products"));
      });

      await t.step("Test Request on GET /products shows 200 in the response panel", async () => {
        await (await button(page, /^Test Request\(get \/products\)$/)).click();
        await (await button(page, /^Send/)).click();
        await responseStatus(page, "200 OK");
        assert.ok(
          apiCalls.some((call) => /^GET \/products(\?|\s).*200$/.test(call)),
          `${apiCalls}`,
        );
      });

      await t.step("POST /auth/register sends its example body and shows 201", async () => {
        await page.goto(`${origin}/docs#tag/auth/POST/auth/register`, {
          waitUntil: "domcontentloaded",
        });
        await page.reload({ waitUntil: "domcontentloaded" });
        await (await button(page, /^Test Request\(post \/auth\/register\)$/)).click();
        await (await button(page, /^Send/)).click();
        await responseStatus(page, "201 Created");
        assert.ok(apiCalls.includes("POST /auth/register 201"), `${apiCalls}`);
        const { email } = REQUEST_EXAMPLES["POST /auth/register"].customer.value as {
          email: string;
        };
        assert.ok((await page.evaluate("document.body.innerText") as string).includes(email));
      });

      await t.step("with a bearer token under Authentication, GET /me answers 200", async () => {
        const { token, email } = await h.register();
        await page.goto(`${origin}/docs#tag/account/GET/me`, { waitUntil: "domcontentloaded" });
        await page.reload({ waitUntil: "domcontentloaded" });
        await (await button(page, /^Test Request\(get \/me\)$/)).click();
        // The client's own Authentication field (the reference page has one too, under it).
        const input = await page.waitForFunction(
          `[...document.querySelectorAll("input[placeholder=Token]")].filter((e) =>
            e.offsetParent !== null).at(-1)`,
          { timeout: WAIT_MS },
        ) as unknown as ElementHandle;
        await input.click();
        await page.keyboard.type(token);
        await (await button(page, /^Send/)).click();
        await responseStatus(page, "200 OK");
        assert.ok(apiCalls.includes("GET /me 200"), `${apiCalls}`);
        const shown = await page.evaluate("document.body.innerText") as string;
        assert.ok(shown.includes(email), "the response panel shows the caller");
      });

      await t.step("a problem's type, /docs#problem-<code>, shows its entry", async () => {
        await page.goto(`${origin}/docs#problem-insufficient_stock`, {
          waitUntil: "domcontentloaded",
        });
        await page.reload({ waitUntil: "domcontentloaded" });
        await page.waitForFunction(
          `(() => {
            const heading = document.getElementById("api/description/problem-insufficient-stock");
            const top = heading?.getBoundingClientRect().top;
            return top !== undefined && top >= 0 && top < innerHeight / 2;
          })()`,
          { timeout: WAIT_MS },
        );
      });

      await t.step("no CSP violation and nothing fetched from another origin", () => {
        assert.deepEqual(violations, []);
        assert.deepEqual(elsewhere, []);
      });
    } finally {
      await browser?.close();
      await server.shutdown();
      await Deno.remove(profile, { recursive: true });
    }
  },
});
