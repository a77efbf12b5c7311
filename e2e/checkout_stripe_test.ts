/**
 * Issue-11 proof on the real servers: the checkout end to end (`testing/checkout_flow.ts`) on
 * the production composition (PostgreSQL orders, addresses, shipping, tax, payments and
 * `refunded_charges`; Redis guest and user carts; MongoDB catalog; Elasticsearch), with Stripe
 * configured as in production (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_API_BASE`)
 * on stripe-mock behind `StripeShim`. "Late" is a second later on the real clock.
 */
import { checkoutFlow } from "../testing/checkout_flow.ts";
import { integrationUrl } from "../testing/integration.ts";
import { StripeShim } from "../testing/stripe_shim.ts";
import { openStack, stackUrls } from "./_stack.ts";

const urls = stackUrls();
const mockUrl = integrationUrl("STRIPE_MOCK_URL");
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };
const KEY = "sk_test_e2echeckout";
const SECRET = "whsec_e2e_checkout";

Deno.test({
  name: "checkout end to end on the real servers: guest cart, merge, address, shipping, tax, " +
    "Stripe on stripe-mock, webhook twice and late",
  ignore: urls === null || !mockUrl,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const shim = StripeShim.start(mockUrl!);
    const stack = await openStack(urls!, {
      STRIPE_SECRET_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: shim.url,
    });
    try {
      await stack.useCases.ensureAdmin(ADMIN);
      const call: Parameters<typeof checkoutFlow>[1]["call"] = async (method, path, init = {}) => {
        const headers: Record<string, string> = { ...init.headers };
        if (init.token) headers.authorization = `Bearer ${init.token}`;
        let body: string | undefined = init.rawBody;
        if (init.body !== undefined) {
          body = JSON.stringify(init.body);
          headers["content-type"] ??= "application/json";
        }
        const res = await stack.app.request(path, { method, headers, body });
        const text = await res.text();
        const json = (res.headers.get("content-type") ?? "").includes("json") && text;
        return {
          status: res.status,
          headers: res.headers,
          body: json ? JSON.parse(text) : text,
          text,
        };
      };
      const login = await call("POST", "/auth/login", { body: ADMIN });
      const adminToken: string = login.body.token;
      const category = await call("POST", "/admin/categories", {
        token: adminToken,
        body: { slug: "flow", name: "Flow" },
      });
      if (category.status !== 201) throw new Error(`category: ${category.text}`);
      await checkoutFlow(t, {
        call,
        adminToken,
        ports: stack.ports,
        secretKey: KEY,
        webhookSecret: SECRET,
        product: async (sku, stock, priceCents) => {
          const res = await call("POST", "/admin/products", {
            token: adminToken,
            body: {
              sku,
              name: `Flow ${sku}`,
              category: "flow",
              brand: "Polycart",
              description: "A product of the checkout flow.",
              priceCents,
              stock,
              tags: ["flow"],
            },
          });
          if (res.status !== 201) throw new Error(`product ${sku}: ${res.text}`);
        },
        finish: (id) => shim.finish(id),
        intentAmount: (id) => shim.intents.get(id)?.amount,
        later: () => new Promise((resolve) => setTimeout(resolve, 1_000)),
        refundsAtProvider: () => shim.refunds.size,
        refusedByProvider: () => shim.refused,
      });
    } finally {
      await stack.close();
      await shim.stop();
    }
  },
});
