export const PAYMENT_STATUSES = ["succeeded", "declined", "failed", "refunded"] as const;
export type PaymentStatus = typeof PAYMENT_STATUSES[number];

export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly userId: string;
  readonly status: PaymentStatus;
  readonly amountCents: number;
  readonly currency: string;
  readonly provider: string;
  /** The provider's charge id; unique, so one charge can confirm an order only once. */
  readonly providerRef: string;
  readonly failureReason: string | null;
  readonly processedAt: Date;
}
