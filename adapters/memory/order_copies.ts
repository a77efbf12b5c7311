/** Copies of the in-memory order store's values: frozen inside, fresh copies handed out. */
import type { Order } from "../../domain/ordering/order.ts";
import type { Payment } from "../../domain/payments/payment.ts";

export function freezeOrder(order: Order): Order {
  return Object.freeze(copyOrder(order));
}

export function copyOrder(order: Order): Order {
  return {
    ...order,
    items: order.items.map((i) => ({ ...i })),
    shippingAddress: order.shippingAddress && { ...order.shippingAddress },
    billingAddress: order.billingAddress && { ...order.billingAddress },
    shipping: order.shipping && { ...order.shipping },
    createdAt: new Date(order.createdAt),
    expiresAt: new Date(order.expiresAt),
    paidAt: order.paidAt ? new Date(order.paidAt) : null,
    updatedAt: new Date(order.updatedAt),
    payment: order.payment
      ? { ...order.payment, processedAt: new Date(order.payment.processedAt) }
      : null,
  };
}

export function freezePayment(payment: Payment): Payment {
  return Object.freeze(copyPayment(payment));
}

export function copyPayment(payment: Payment): Payment {
  return { ...payment, processedAt: new Date(payment.processedAt) };
}
