export interface ChargeRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly token: string;
  /**
   * Which attempt at paying this order (1 + the declined attempts recorded so far): part of the
   * idempotency key, so a retried request is the same attempt and never charges twice, while a
   * new attempt after a decline is a new charge.
   */
  readonly attempt: number;
}

export type ChargeResult =
  | { readonly status: "succeeded"; readonly providerRef: string }
  | { readonly status: "declined"; readonly providerRef: string; readonly reason: string }
  /**
   * The payment needs the customer (3-D Secure, another method, a confirmation) or is still
   * processing: the order stays pending, `clientSecret` lets the customer's browser finish it
   * (Stripe.js), and the provider's success (a retried charge or its webhook) confirms later.
   */
  | {
    readonly status: "requires_action";
    readonly providerRef: string;
    readonly clientSecret: string;
    /** The provider's own status, e.g. `requires_action`. */
    readonly nextStep: string;
  };

/**
 * A payment provider. Charging the same order twice returns the same `providerRef`, so the
 * unique reference stops a second confirmation. Throws `PaymentGatewayUnavailable` on outage.
 */
export interface PaymentGateway {
  readonly provider: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(providerRef: string, amountCents: number): Promise<void>;
}
