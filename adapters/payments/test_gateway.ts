import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import type {
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
} from "../../ports/payments/payment_gateway.ts";

export interface RecordedCharge {
  readonly request: ChargeRequest;
  readonly result: ChargeResult;
}

export interface RecordedRefund {
  readonly providerRef: string;
  readonly amountCents: number;
}

/**
 * A scripted provider for development and tests. Tokens: `tok_visa` succeeds,
 * `tok_declined` declines with "card_declined", `tok_error` throws
 * `PaymentGatewayUnavailable`, anything else declines with "invalid_token".
 * A success is `test_ch_<orderId>`, and charging that order again returns it without a second
 * charge (so the order store's unique reference stops a double confirmation). Each decline
 * gets its own reference `test_dc_<orderId>_<n>`, so a declined order can be retried. `refund` throws a plain Error for an unknown or declined
 * reference, or for more than the charged amount in total.
 */
export class TestPaymentGateway implements PaymentGateway {
  readonly provider = "test";
  readonly #charges: RecordedCharge[] = [];
  readonly #succeeded = new Map<string, RecordedCharge>();
  readonly #refunds: RecordedRefund[] = [];

  /** Every recorded charge attempt, in order. */
  get charges(): readonly RecordedCharge[] {
    return [...this.#charges];
  }

  /** Every refund, in order. */
  get refunds(): readonly RecordedRefund[] {
    return [...this.#refunds];
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    const previous = this.#succeeded.get(request.orderId);
    if (previous) return Promise.resolve(previous.result);
    if (request.token === "tok_error") {
      return Promise.reject(new PaymentGatewayUnavailable(this.provider));
    }
    const result: ChargeResult = request.token === "tok_visa"
      ? { status: "succeeded", providerRef: `test_ch_${request.orderId}` }
      : {
        status: "declined",
        providerRef: `test_dc_${request.orderId}_${this.#charges.length + 1}`,
        reason: request.token === "tok_declined" ? "card_declined" : "invalid_token",
      };
    const charge = { request: { ...request }, result };
    this.#charges.push(charge);
    if (result.status === "succeeded") this.#succeeded.set(request.orderId, charge);
    return Promise.resolve(result);
  }

  /** Refunding a charge that is already fully refunded is a no-op, so retries are safe. */
  refund(providerRef: string, amountCents: number): Promise<void> {
    const charge = [...this.#succeeded.values()].find((c) => c.result.providerRef === providerRef);
    if (!charge) return Promise.reject(new Error(`no succeeded charge ${providerRef} to refund`));
    const refunded = this.#refunds.filter((r) => r.providerRef === providerRef)
      .reduce((sum, r) => sum + r.amountCents, 0);
    if (refunded === charge.request.amountCents && amountCents === refunded) {
      return Promise.resolve();
    }
    if (
      !Number.isSafeInteger(amountCents) || amountCents <= 0 ||
      refunded + amountCents > charge.request.amountCents
    ) {
      return Promise.reject(
        new Error(`cannot refund ${amountCents} of ${providerRef}: already refunded ${refunded}`),
      );
    }
    this.#refunds.push({ providerRef, amountCents });
    return Promise.resolve();
  }
}
