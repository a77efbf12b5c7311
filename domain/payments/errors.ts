/**
 * Payment failures: declines, provider outages, webhooks, providers.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

export class PaymentDeclined extends DomainError {
  readonly code = "payment_declined";
  constructor(readonly orderId: string, readonly reason: string) {
    super(`payment for order ${orderId} was declined: ${reason}`);
  }
}

export class PaymentGatewayUnavailable extends DomainError {
  readonly code = "payment_gateway_error";
  constructor(readonly provider: string, cause?: unknown) {
    super(`payment provider ${provider} is unavailable`, { cause });
  }
}

/** A provider's webhook whose signature does not verify: it is ignored, nothing changes. */
export class InvalidWebhookSignature extends DomainError {
  readonly code = "invalid_webhook_signature";
  constructor(readonly provider: string, readonly reason: string) {
    super(`the ${provider} webhook signature does not verify: ${reason}`);
  }
}

export class UnsupportedProvider extends DomainError {
  readonly code = "unsupported_provider";
  constructor(readonly provider: string) {
    super(`payment provider ${provider} is not supported`);
  }
}
