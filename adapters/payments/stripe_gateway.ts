/**
 * Stripe through the official `stripe` package: a PaymentIntent created and confirmed in one
 * request for the order's total, refunds through the Refunds API. Under Deno the client talks
 * fetch (`Stripe.createFetchHttpClient()`); `apiBase` points it at stripe-mock in tests and CI.
 * No card data passes through here: the client sends a payment method id (`pm_...`) that
 * Stripe.js created in the browser.
 */
import Stripe from "stripe";
import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import type {
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
} from "../../ports/payments/payment_gateway.ts";
import { classifyStripeError, isAlreadyRefunded } from "./stripe_errors.ts";

export interface StripeGatewayOptions {
  readonly secretKey: string;
  /** `http://127.0.0.1:12111` for stripe-mock; Stripe's own API when absent. */
  readonly apiBase?: string;
  /** Retries of a request that failed on the network or a 5xx; safe with idempotency keys. */
  readonly maxNetworkRetries?: number;
  readonly timeoutMs?: number;
}

/** The client configuration; exported so a test can see no secret leaks into it but the key. */
export function stripeClient(options: StripeGatewayOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  return new Stripe(options.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    ...(base
      ? {
        host: base.hostname,
        port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
        protocol: base.protocol === "https:" ? "https" : "http",
      }
      : {}),
  });
}

/**
 * The idempotency key of one charge attempt: the order and its attempt number, plus a digest of
 * the amount, currency and payment method. A retried request (a client retry, a network retry,
 * a replay after a crash, the customer coming back after 3-D Secure) sends the same key, so
 * Stripe returns the first PaymentIntent instead of charging again; the next attempt after a
 * recorded decline, or another card, is a new PaymentIntent.
 */
export async function chargeIdempotencyKey(request: ChargeRequest): Promise<string> {
  const material = [request.orderId, request.amountCents, request.currency, request.token]
    .join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `polycart-charge-${request.orderId}-${request.attempt}-${hex.slice(0, 32)}`;
}

export function refundIdempotencyKey(providerRef: string, amountCents: number): string {
  return `polycart-refund-${providerRef}-${amountCents}`;
}

/**
 * A PaymentIntent that did not succeed at once and is not cancelled (`requires_action` for 3-D
 * Secure, `requires_confirmation`, `requires_payment_method`, `processing`) answers its
 * `client_secret`, so the customer's browser can finish it with Stripe.js; the order stays
 * pending, and the success (the client's retried charge, or the `payment_intent.succeeded`
 * webhook) confirms it. Since Stripe replays the first answer for an idempotency key, a charge
 * that did not succeed reads the PaymentIntent's current state before answering.
 */
export class StripePaymentGateway implements PaymentGateway {
  readonly provider = "stripe";
  readonly #stripe: Stripe;

  constructor(options: StripeGatewayOptions | { readonly client: Stripe }) {
    this.#stripe = "client" in options ? options.client : stripeClient(options);
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const idempotencyKey = await chargeIdempotencyKey(request);
    try {
      let intent = await this.#stripe.paymentIntents.create({
        amount: request.amountCents,
        currency: request.currency.toLowerCase(),
        payment_method: request.token,
        // No redirecting methods: the API answers at once, without a return URL.
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        confirm: true,
        metadata: { orderId: request.orderId },
      }, { idempotencyKey });
      if (intent.status !== "succeeded" && intent.status !== "canceled") {
        intent = await this.#stripe.paymentIntents.retrieve(intent.id);
      }
      return intentResult(intent);
    } catch (error) {
      const failure = classifyStripeError(error);
      if (failure.kind === "declined") {
        return {
          status: "declined",
          // Each declined attempt keeps its own reference, so the order can be retried.
          providerRef: failure.paymentIntentId
            ? declinedRef(failure.paymentIntentId, failure.reason)
            : `stripe_dc_${idempotencyKey}`,
          reason: failure.reason,
        };
      }
      if (failure.kind === "unavailable") {
        throw new PaymentGatewayUnavailable(this.provider, safeCause(error));
      }
      throw error;
    }
  }

  /** Refunding a PaymentIntent that is already fully refunded is a no-op, so retries are safe. */
  async refund(providerRef: string, amountCents: number): Promise<void> {
    try {
      await this.#stripe.refunds.create(
        { payment_intent: providerRef, amount: amountCents },
        { idempotencyKey: refundIdempotencyKey(providerRef, amountCents) },
      );
    } catch (error) {
      if (isAlreadyRefunded(error)) return;
      if (classifyStripeError(error).kind === "unavailable") {
        throw new PaymentGatewayUnavailable(this.provider, safeCause(error));
      }
      throw error;
    }
  }
}

/** What a PaymentIntent's state means for the order. */
export function intentResult(intent: Stripe.PaymentIntent): ChargeResult {
  if (intent.status === "succeeded") return { status: "succeeded", providerRef: intent.id };
  if (intent.status === "canceled" || !intent.client_secret) {
    return {
      status: "declined",
      providerRef: declinedRef(intent.id, intent.status),
      reason: intent.status,
    };
  }
  return {
    status: "requires_action",
    providerRef: intent.id,
    clientSecret: intent.client_secret,
    nextStep: intent.status,
  };
}

/**
 * The reference of a failed attempt on a PaymentIntent: never the bare `pi_...`, which only its
 * success may record, since the store replays by reference and the same PaymentIntent can still
 * succeed later (after 3-D Secure, or a retry on it), and that success must confirm the order.
 */
export function declinedRef(paymentIntentId: string, reason: string): string {
  return `${paymentIntentId}:${reason}`;
}

/** The error's type, code and message only: the raw error carries request headers. */
function safeCause(error: unknown): Error {
  if (!(error instanceof Stripe.errors.StripeError)) return new Error(String(error));
  return new Error(`${error.type}${error.code ? ` ${error.code}` : ""}: ${error.message}`);
}
