import type { RefundedCharge, RefundedCharges } from "../../ports/payments/refunded_charges.ts";

export class MemoryRefundedCharges implements RefundedCharges {
  readonly #charges = new Map<string, RefundedCharge>();

  record(charge: RefundedCharge): Promise<boolean> {
    const key = `${charge.provider}\n${charge.providerRef}`;
    if (this.#charges.has(key)) return Promise.resolve(false);
    this.#charges.set(key, structuredClone(charge));
    return Promise.resolve(true);
  }

  forOrder(orderId: string): Promise<RefundedCharge[]> {
    return Promise.resolve(
      [...this.#charges.values()].filter((c) => c.orderId === orderId)
        .sort((a, b) => a.refundedAt.getTime() - b.refundedAt.getTime())
        .map((c) => structuredClone(c)),
    );
  }
}
