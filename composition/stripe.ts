/**
 * The payment providers: the test provider always, Stripe only when STRIPE_SECRET_KEY is set,
 * and its webhook only with STRIPE_WEBHOOK_SECRET. The secrets go into the client and the
 * verifier, nowhere else (no log, response or outbox sees them).
 */
import type { Config } from "../config.ts";
import { TestPaymentGateway } from "../adapters/payments/test_gateway.ts";
import { stripeClient, StripePaymentGateway } from "../adapters/payments/stripe_gateway.ts";
import { StripeEventSource } from "../adapters/payments/stripe_webhook.ts";
import type { Contribution } from "./contribution.ts";

export function stripeWiring(config: Config) {
  const nothing = { feeds: [], health: [], closers: [] };
  if (!config.STRIPE_SECRET_KEY) {
    const ports = { gateways: [new TestPaymentGateway()], paymentEvents: undefined };
    return { ports, ...nothing, adapters: {} } satisfies Contribution<unknown>;
  }
  const client = stripeClient({
    secretKey: config.STRIPE_SECRET_KEY,
    apiBase: config.STRIPE_API_BASE,
  });
  const source = config.STRIPE_WEBHOOK_SECRET
    ? new StripeEventSource(client, config.STRIPE_WEBHOOK_SECRET)
    : null;
  const ports = {
    gateways: [new TestPaymentGateway(), new StripePaymentGateway({ client })],
    paymentEvents: new Map(source ? [[source.provider, source]] : []),
  };
  const where = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE).host : "api.stripe.com";
  const adapters = {
    stripe: `payments on ${where}${config.STRIPE_WEBHOOK_SECRET ? ", webhooks verified" : ""}`,
  };
  return { ports, ...nothing, adapters } satisfies Contribution<unknown>;
}
