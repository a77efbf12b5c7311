/** The request bodies the bench sends, shared by the scenarios and the run's setup. */
import { benchAddress } from "./checkout_capture.ts";

/** The bench's address as a request sends it (its null fields left out). */
export const BENCH_DELIVERY_ADDRESS = Object.fromEntries(
  Object.entries(benchAddress()).filter(([, v]) => v !== null),
);

/**
 * Every request body the bench sends, with `{sku}` where wrk puts a SKU: only documented
 * fields, each sent as `content-type: application/json` (run_test.ts holds them against the
 * API's request schemas in strict mode).
 */
export const BODIES = {
  cartItem: '{"sku":"{sku}","qty":1}',
  /** To the bench's address, by the option `createBenchShipping` made. */
  order: (shippingOptionId: string) =>
    JSON.stringify({
      items: [{ sku: "{sku}", qty: 1 }],
      shippingAddress: BENCH_DELIVERY_ADDRESS,
      shippingOptionId,
    }),
  register: (i: number) =>
    JSON.stringify({
      email: `bench-user-${i}@polycart.invalid`,
      password: "bench-user-password",
      displayName: `Bench ${i}`,
    }),
  rename: (name: string) => JSON.stringify({ name }),
} as const;
