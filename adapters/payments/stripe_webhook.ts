/**
 * Stripe webhooks: `Stripe-Signature` verified on the raw body with the endpoint's signing
 * secret (`constructEventAsync` with the Web Crypto provider, as Deno needs), then reduced to a
 * `PaymentEvent`. Only the event id, type and the PaymentIntent's id, amount, currency, order
 * and failure code leave here; the payload is not stored.
 */
import Stripe from "stripe";
import { InvalidWebhookSignature } from "../../domain/errors.ts";
import type { PaymentEvent, PaymentEventSource } from "../../ports/payments/payment_events.ts";

/** How old a signed timestamp may be (Stripe's default tolerance, against replays). */
const TOLERANCE_S = 300;

export class StripeEventSource implements PaymentEventSource {
  readonly provider = "stripe";
  readonly #stripe: Stripe;
  readonly #secret: string;
  readonly #crypto = Stripe.createSubtleCryptoProvider();

  constructor(stripe: Stripe, webhookSecret: string) {
    this.#stripe = stripe;
    this.#secret = webhookSecret;
  }

  async verify(rawBody: string, signature: string | null): Promise<PaymentEvent> {
    if (!signature) throw new InvalidWebhookSignature(this.provider, "no Stripe-Signature header");
    let event: Stripe.Event;
    try {
      event = await this.#stripe.webhooks.constructEventAsync(
        rawBody,
        signature,
        this.#secret,
        TOLERANCE_S,
        this.#crypto,
      );
    } catch (error) {
      const reason = error instanceof Stripe.errors.StripeSignatureVerificationError
        ? "no signature matches the body and secret"
        : "the body is not a Stripe event";
      throw new InvalidWebhookSignature(this.provider, reason);
    }
    const found = toPaymentEvent(event);
    if (found.kind !== "charge_refunded" || found.orderId || !found.providerRef) return found;
    // A Charge does not carry its PaymentIntent's metadata: the order is named there.
    const intent = await this.#stripe.paymentIntents.retrieve(found.providerRef);
    return { ...found, orderId: intent.metadata?.orderId ?? null };
  }
}

function base(event: Stripe.Event): Omit<PaymentEvent, "kind"> {
  return {
    id: event.id,
    provider: "stripe",
    type: event.type,
    orderId: null,
    providerRef: null,
    amountCents: 0,
    currency: "",
    failureReason: null,
    fullyRefunded: false,
  };
}

/** Exported for tests: what the shop reads from each event type it handles. */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed": {
      const intent = event.data.object;
      return {
        ...base(event),
        kind: event.type === "payment_intent.succeeded" ? "payment_succeeded" : "payment_failed",
        orderId: intent.metadata?.orderId ?? null,
        providerRef: intent.id,
        amountCents: intent.amount,
        currency: intent.currency.toUpperCase(),
        failureReason: event.type === "payment_intent.payment_failed"
          ? intent.last_payment_error?.decline_code || intent.last_payment_error?.code ||
            "payment_failed"
          : null,
      };
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const intent = charge.payment_intent;
      return {
        ...base(event),
        kind: "charge_refunded",
        orderId: charge.metadata?.orderId ?? null,
        providerRef: typeof intent === "string" ? intent : intent?.id ?? null,
        amountCents: charge.amount_refunded,
        currency: charge.currency.toUpperCase(),
        fullyRefunded: charge.refunded,
      };
    }
    default:
      return { ...base(event), kind: "ignored" };
  }
}
