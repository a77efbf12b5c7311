/**
 * What a Stripe error means for a charge. Stripe documents its error types
 * (https://docs.stripe.com/error-handling): `card_error` is the customer's card (a decline, with
 * a `decline_code`), `rate_limit_error`, `api_error`, connection failures and an
 * `idempotency_error` (a request with the same key still in flight) are Stripe or the network
 * being unavailable for now, `invalid_request_error` is our request (a missing or unusable
 * payment method among them), `authentication_error` our key.
 */
import Stripe from "stripe";

export type StripeFailure =
  | { readonly kind: "declined"; readonly reason: string; readonly paymentIntentId?: string }
  | { readonly kind: "unavailable" }
  | { readonly kind: "unknown" };

/** The request parameters that name the customer's payment method. */
const PAYMENT_METHOD_PARAMS = new Set(["payment_method", "payment_method_data"]);

/** Classifies anything the Stripe client threw. */
export function classifyStripeError(error: unknown): StripeFailure {
  if (!(error instanceof Stripe.errors.StripeError)) return { kind: "unknown" };
  const paymentIntentId = (error.payment_intent as { id?: string } | undefined)?.id;
  switch (error.type) {
    case "StripeCardError":
      return {
        kind: "declined",
        reason: error.decline_code || error.code || "card_declined",
        ...(paymentIntentId ? { paymentIntentId } : {}),
      };
    case "StripeInvalidRequestError":
      if (error.param && PAYMENT_METHOD_PARAMS.has(error.param)) {
        return { kind: "declined", reason: error.code ?? "invalid_payment_method" };
      }
      return { kind: "unknown" };
    // Another request with the same key is still in flight (Stripe answers 409): retry later.
    case "StripeIdempotencyError":
    case "StripeRateLimitError":
    case "StripeAPIError":
    case "StripeConnectionError":
    case "StripeAuthenticationError":
    case "StripePermissionError":
      return { kind: "unavailable" };
    default:
      return { kind: "unknown" };
  }
}

/** Stripe's answer to refunding a charge that is already fully refunded. */
export function isAlreadyRefunded(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError &&
    error.code === "charge_already_refunded";
}
