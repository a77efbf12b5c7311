/** Money is integer cents plus an ISO currency code; never a float. */
export const DEFAULT_CURRENCY = "USD";

export interface Money {
  readonly cents: number;
  readonly currency: string;
}

export function isCents(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function lineTotalCents(unitPriceCents: number, qty: number): number {
  const total = unitPriceCents * qty;
  if (!isCents(total)) throw new RangeError(`line total out of range: ${unitPriceCents} x ${qty}`);
  return total;
}

export function sumCents(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0);
}

/** Loyalty: one point per whole dollar paid. */
export function loyaltyPoints(paidCents: number): number {
  return Math.floor(paidCents / 100);
}
