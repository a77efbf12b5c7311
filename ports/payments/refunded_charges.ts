/**
 * Charges the shop gave back because they could not pay their order: a success that arrived
 * after the order expired, was cancelled or was paid by another charge, or a success for
 * another amount. The money went back through the provider; this is the shop's record of it.
 */
export interface RefundedCharge {
  readonly provider: string;
  /** The charge's reference (a PaymentIntent id); one record per charge. */
  readonly providerRef: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  /** Why it could not pay the order, e.g. `order_expired`, `order_confirmed`, `amount_mismatch`. */
  readonly reason: string;
  readonly refundedAt: Date;
}

export interface RefundedCharges {
  /** Records a refunded charge; `false` when that charge was already recorded. */
  record(charge: RefundedCharge): Promise<boolean>;
  /** The order's refunded charges, oldest first. */
  forOrder(orderId: string): Promise<RefundedCharge[]>;
}
