/**
 * Demo orders with shipping and tax (`deno task dev` without servers, and `deno task seed`):
 * a demo customer with a saved Californian address has one paid order shipped there express (tax
 * added) and one pending order to Berlin (tax included, shipping taxed), placed through the
 * same use cases as the API, after the shipping and tax seed (seed_checkout.ts). Admins see
 * them under GET /admin/orders. The customer's password is random: nobody signs in as them.
 * Idempotent: when the demo customer exists, nothing is placed again.
 */
import { EmailTaken } from "../../domain/errors.ts";
import type { bindUseCases } from "../../application/use_cases.ts";
import type { Logger } from "../../ports/logger.ts";

export const DEMO_CUSTOMER_EMAIL = "demo-customer@polycart.example";

type UseCases = ReturnType<typeof bindUseCases>;

export async function seedDemoOrders(useCases: UseCases, logger: Logger): Promise<void> {
  let userId: string;
  try {
    const password = crypto.randomUUID();
    userId = (await useCases.register({
      email: DEMO_CUSTOMER_EMAIL,
      password,
      displayName: "Demo Customer",
    })).user.id;
  } catch (error) {
    if (error instanceof EmailTaken) return;
    throw error;
  }
  const home = await useCases.addAddress(userId, {
    name: "Demo Customer",
    line1: "1 Infinite Loop",
    city: "Cupertino",
    region: "CA",
    postalCode: "95014",
    country: "US",
    isDefaultShipping: true,
    isDefaultBilling: true,
  });
  const paid = await useCases.placeOrder({
    userId,
    items: [{ sku: "BOK-010", qty: 2 }, { sku: "PHN-002", qty: 1 }],
    delivery: { shippingAddress: { addressId: home.id }, shippingOptionId: "ship-us-express" },
  });
  await useCases.payOrder({
    userId,
    orderId: paid.id,
    provider: "test",
    paymentToken: "tok_visa",
  });
  const pending = await useCases.placeOrder({
    userId,
    items: [{ sku: "BOK-010", qty: 1 }],
    delivery: {
      shippingAddress: {
        address: {
          name: "Demo Customer",
          line1: "Unter den Linden 1",
          line2: null,
          city: "Berlin",
          region: null,
          postalCode: "10117",
          country: "DE",
          phone: null,
        },
      },
      billingAddress: { addressId: home.id },
      shippingOptionId: "ship-eu-standard",
    },
  });
  logger.info("demo orders placed", {
    customer: DEMO_CUSTOMER_EMAIL,
    orders: [paid, pending].map((o) => ({
      id: o.id,
      shippingCents: o.shippingCents,
      taxCents: o.taxCents,
      totalCents: o.totalCents,
    })),
  });
}
