import assert from "node:assert/strict";
import { testCore } from "../../testing/core.ts";
import { JsonLogger } from "../system/logger.ts";
import { seedDemoOrders } from "./seed_orders.ts";

Deno.test("seedDemoOrders() places a paid and a pending order with shipping and tax, once", async () => {
  const core = await testCore();
  const logger = new JsonLogger({ silent: true });
  await seedDemoOrders(core.useCases, logger);
  await seedDemoOrders(core.useCases, logger);
  const { items } = await core.useCases.listOrders({ page: 1, size: 10 });
  assert.deepEqual(items.map((o) => o.status).sort(), ["confirmed", "pending"]);
  for (const order of items) {
    assert.ok(order.shipping && order.shippingAddress && order.billingAddress);
    assert.ok(order.taxCents > 0, "both places are taxed");
  }
  const [paid] = items.filter((o) => o.status === "confirmed");
  assert.equal(paid.payment?.amountCents, paid.totalCents);
  assert.equal(paid.totalCents, paid.subtotalCents + paid.shippingCents + paid.taxCents);
});
