/**
 * The `OrderStore` contract: `orderStoreContract(label, make)` registers the allocation and
 * delivery-terms suites and one `Deno.test` named `${label}: OrderStore contract` whose steps,
 * split by theme over the `order_*_steps.ts` files, run in this order on every adapter.
 */
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import type { OrderFixture } from "./_order_fixture.ts";
import { orderAllocationContract } from "./order_allocation_contract.ts";
import { orderCheckoutContract } from "./order_checkout_contract.ts";
import { adjustUnderReservationsStep, lifecycleSteps } from "./order_lifecycle_steps.ts";
import { confirmationRaceStep, paymentSteps } from "./order_payment_steps.ts";
import { currencyMismatchStep, pendingCapStep, placingSteps } from "./order_placing_steps.ts";
import { listingSteps, orderSourceStep } from "./order_reading_steps.ts";

export type { OrderFixture } from "./_order_fixture.ts";

export function orderStoreContract(
  label: string,
  make: MakeFixture<OrderFixture>,
  options: ContractOptions = {},
): void {
  orderAllocationContract(label, make, options);
  orderCheckoutContract(label, make, options);
  Deno.test({
    name: `${label}: OrderStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await placingSteps(t, make);
      await adjustUnderReservationsStep(t, make);
      await paymentSteps(t, make);
      await lifecycleSteps(t, make);
      await confirmationRaceStep(t, make);
      await currencyMismatchStep(t, make);
      await orderSourceStep(t, make);
      await pendingCapStep(t, make);
      await listingSteps(t, make);
    },
  });
}
