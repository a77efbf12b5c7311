/**
 * Stand-ins for a PaymentIntent provider and its webhooks, for deterministic interleavings of
 * the client's confirmation, the webhook and the sweeper on the memory fakes. The gateway keeps
 * state as Stripe does: one PaymentIntent per idempotency key (order, attempt, method), which the
 * customer's browser may finish later; refunds are idempotent per PaymentIntent.
 */
import { InvalidWebhookSignature, PaymentGatewayUnavailable } from "../../domain/errors.ts";
import type { PaymentEvent, PaymentEventSource } from "../../ports/payments/payment_events.ts";
import type {
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
} from "../../ports/payments/payment_gateway.ts";

interface Intent {
  readonly id: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  status: "requires_action" | "succeeded" | "requires_payment_method";
}

export class IntentGateway implements PaymentGateway {
  readonly provider = "stripe";
  readonly #byKey = new Map<string, Intent>();
  readonly intents = new Map<string, Intent>();
  /** Every charge request, in order. */
  readonly requests: ChargeRequest[] = [];
  /** Refunds that took effect, one per PaymentIntent. */
  readonly refunded = new Map<string, number>();
  /** Refund calls, including idempotent repeats. */
  refundCalls = 0;
  /** While true, refunds fail as an outage. */
  refundsDown = false;
  /** Runs inside `charge`, after the provider answered and before the shop sees the answer. */
  duringCharge: (intent: Intent) => Promise<void> = () => Promise.resolve();
  /** The status a new PaymentIntent starts in. */
  startAs: Intent["status"] = "requires_action";

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.requests.push(request);
    const key = `${request.orderId}/${request.attempt}/${request.token}`;
    let intent = this.#byKey.get(key);
    if (!intent) {
      intent = {
        id: `pi_${this.intents.size + 1}`,
        orderId: request.orderId,
        amountCents: request.amountCents,
        currency: request.currency,
        status: this.startAs,
      };
      this.#byKey.set(key, intent);
      this.intents.set(intent.id, intent);
    }
    const answer: ChargeResult = intent.status === "succeeded"
      ? { status: "succeeded", providerRef: intent.id }
      : {
        status: "requires_action",
        providerRef: intent.id,
        clientSecret: `${intent.id}_secret_x`,
        nextStep: intent.status,
      };
    await this.duringCharge(intent);
    return answer;
  }

  /** The customer finishes the payment in the browser (3-D Secure). */
  finish(intentId: string): void {
    this.intents.get(intentId)!.status = "succeeded";
  }

  refund(providerRef: string, amountCents: number): Promise<void> {
    this.refundCalls++;
    if (this.refundsDown) return Promise.reject(new PaymentGatewayUnavailable(this.provider));
    if (!this.refunded.has(providerRef)) this.refunded.set(providerRef, amountCents);
    return Promise.resolve();
  }
}

/** Webhooks whose "signature" is the word `signed`; the body is the `PaymentEvent` itself. */
export class PlainEventSource implements PaymentEventSource {
  readonly provider = "stripe";
  #n = 0;

  verify(rawBody: string, signature: string | null): Promise<PaymentEvent> {
    if (signature !== "signed") {
      return Promise.reject(new InvalidWebhookSignature(this.provider, "not signed"));
    }
    return Promise.resolve(JSON.parse(rawBody) as PaymentEvent);
  }

  /** A `payment_intent.succeeded` (or another kind) for `intent`, as its raw body. */
  event(
    intent: { id: string; orderId: string; amountCents: number; currency: string },
    kind: PaymentEvent["kind"] = "payment_succeeded",
    extra: Partial<PaymentEvent> = {},
  ): string {
    const event: PaymentEvent = {
      id: `evt_${++this.#n}`,
      provider: "stripe",
      kind,
      type: kind,
      orderId: intent.orderId,
      providerRef: intent.id,
      amountCents: intent.amountCents,
      currency: intent.currency,
      failureReason: kind === "payment_failed" ? "authentication_required" : null,
      fullyRefunded: kind === "charge_refunded",
      ...extra,
    };
    return JSON.stringify(event);
  }
}
