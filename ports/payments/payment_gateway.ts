export interface ChargeRequest {
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly token: string;
}

export type ChargeResult =
  | { readonly status: "succeeded"; readonly providerRef: string }
  | { readonly status: "declined"; readonly providerRef: string; readonly reason: string };

/**
 * A payment provider. Charging the same order twice returns the same `providerRef`, so the
 * unique reference stops a second confirmation. Throws `PaymentGatewayUnavailable` on outage.
 */
export interface PaymentGateway {
  readonly provider: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(providerRef: string, amountCents: number): Promise<void>;
}
