/**
 * Events a payment provider pushes (webhooks), verified and reduced to what the shop acts on.
 * The provider's own payload never leaves the adapter.
 */
export type PaymentEventKind =
  | "payment_succeeded"
  | "payment_failed"
  | "charge_refunded"
  | "ignored";

export interface PaymentEvent {
  /** The provider's event id: each is handled once. */
  readonly id: string;
  readonly provider: string;
  readonly kind: PaymentEventKind;
  /** The provider's type, e.g. `payment_intent.succeeded`, for logs. */
  readonly type: string;
  /** The order named in the payment's metadata, when there is one. */
  readonly orderId: string | null;
  /** The payment's reference, as `PaymentGateway.charge` returned it (a PaymentIntent id). */
  readonly providerRef: string | null;
  readonly amountCents: number;
  readonly currency: string;
  readonly failureReason: string | null;
  /** `charge_refunded` only: the whole charge is refunded, not a part of it. */
  readonly fullyRefunded: boolean;
}

/** Checks a webhook's signature on its raw body. Throws `InvalidWebhookSignature`. */
export interface PaymentEventSource {
  readonly provider: string;
  verify(rawBody: string, signature: string | null): Promise<PaymentEvent>;
}

/** The provider events already handled, by provider and event id. */
export interface ProcessedEvents {
  has(provider: string, eventId: string): Promise<boolean>;
  /** Records the event; `false` when it was already recorded. */
  record(provider: string, eventId: string, type: string, at: Date): Promise<boolean>;
}
