import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import type { ChargeRequest, ChargeResult, PaymentGateway } from "../../ports/payment_gateway.ts";

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
 * The reference is `test_ch_<orderId>`; charging an order again returns the first result
 * without recording a second charge. `refund` throws a plain Error for an unknown or declined
 * reference, or for more than the charged amount in total.
 */
export class TestPaymentGateway implements PaymentGateway {
  readonly provider = "test";
  readonly #charges = new Map<string, RecordedCharge>();
  readonly #refunds: RecordedRefund[] = [];

  /** Every recorded charge, in order. */
  get charges(): readonly RecordedCharge[] {
    return [...this.#charges.values()];
  }

  /** Every refund, in order. */
  get refunds(): readonly RecordedRefund[] {
    return [...this.#refunds];
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    const previous = this.#charges.get(request.orderId);
    if (previous) return Promise.resolve(previous.result);
    if (request.token === "tok_error") {
      return Promise.reject(new PaymentGatewayUnavailable(this.provider));
    }
    const providerRef = `test_ch_${request.orderId}`;
    const result: ChargeResult = request.token === "tok_visa"
      ? { status: "succeeded", providerRef }
      : {
        status: "declined",
        providerRef,
        reason: request.token === "tok_declined" ? "card_declined" : "invalid_token",
      };
    this.#charges.set(request.orderId, { request: { ...request }, result });
    return Promise.resolve(result);
  }

  refund(providerRef: string, amountCents: number): Promise<void> {
    const charge = [...this.#charges.values()].find((c) =>
      c.result.providerRef === providerRef && c.result.status === "succeeded"
    );
    if (!charge) return Promise.reject(new Error(`no succeeded charge ${providerRef} to refund`));
    const refunded = this.#refunds.filter((r) => r.providerRef === providerRef)
      .reduce((sum, r) => sum + r.amountCents, 0);
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
