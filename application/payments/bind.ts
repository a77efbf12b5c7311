/** The payment use cases (paying an order, providers' webhooks), bound to their ports. */
import type { Ports } from "../use_case_ports.ts";
import { payOrder, type PayOrderInput } from "./pay_order.ts";
import { receivePaymentEvent } from "./payment_events.ts";

export function bindPayments(p: Ports) {
  return {
    payOrder: (input: PayOrderInput) => payOrder(p, input),
    receivePaymentEvent: (input: { provider: string; rawBody: string; signature: string | null }) =>
      receivePaymentEvent(p, input),
  };
}
