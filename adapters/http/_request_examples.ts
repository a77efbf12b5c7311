/**
 * Example request bodies for the reference, keyed by route as Hono mounts it ("PATCH
 * /admin/products/:sku"). /docs preloads the first into "Test Request", so each is a request
 * that works on the seeded in-memory store; openapi_test.ts checks that every one passes the
 * route's body schema, so they cannot drift from what the server accepts.
 */

import { ADDRESS_EXAMPLES, AUTH_EXAMPLES, PROFILE_EXAMPLES } from "./_request_examples_identity.ts";
import { CHECKOUT_EXAMPLES } from "./_request_examples_checkout.ts";
import { CATALOG_EXAMPLES, REVIEW_EXAMPLES } from "./_request_examples_catalog.ts";
import { DELIVERY_EXAMPLES, INVENTORY_EXAMPLES } from "./_request_examples_operations.ts";

export interface BodyExample {
  readonly summary: string;
  readonly value: unknown;
}

// The examples live per area; spread here in the order the examples test replays them.
export const REQUEST_EXAMPLES: Readonly<Record<string, Readonly<Record<string, BodyExample>>>> = {
  ...AUTH_EXAMPLES,
  ...CHECKOUT_EXAMPLES,
  ...CATALOG_EXAMPLES,
  ...INVENTORY_EXAMPLES,
  ...PROFILE_EXAMPLES,
  ...REVIEW_EXAMPLES,
  ...ADDRESS_EXAMPLES,
  ...DELIVERY_EXAMPLES,
};
