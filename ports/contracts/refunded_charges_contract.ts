import assert from "node:assert/strict";
import type { RefundedCharge, RefundedCharges } from "../payments/refunded_charges.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

const charge = (orderId: string, extra: Partial<RefundedCharge> = {}): RefundedCharge => ({
  provider: "stripe",
  providerRef: `pi_${crypto.randomUUID().slice(0, 12)}`,
  orderId,
  amountCents: 4_250,
  currency: "EUR",
  reason: "order_expired",
  refundedAt: new Date("2026-12-01T10:00:00.000Z"),
  ...extra,
});

export function refundedChargesContract(
  label: string,
  make: MakeFixture<RefundedCharges>,
  options: ContractOptions = {},
): void {
  defineContract("RefundedCharges", label, make, options, async (step) => {
    await step("a charge is recorded once and read back by order", async (refunds) => {
      const orderId = crypto.randomUUID();
      const first = charge(orderId);
      assert.equal(await refunds.record(first), true);
      assert.equal(await refunds.record({ ...first, reason: "order_cancelled" }), false);
      assert.deepEqual(await refunds.forOrder(orderId), [first]);
      assert.deepEqual(await refunds.forOrder(crypto.randomUUID()), []);
    });

    await step("concurrent records of one charge: exactly one records it", async (refunds) => {
      const one = charge(crypto.randomUUID());
      const results = await Promise.all(Array.from({ length: 5 }, () => refunds.record(one)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    await step("an order's charges come oldest first", async (refunds) => {
      const orderId = crypto.randomUUID();
      const late = charge(orderId, { refundedAt: new Date("2026-12-01T11:00:00.000Z") });
      const early = charge(orderId, { amountCents: 1, reason: "amount_mismatch" });
      await refunds.record(late);
      await refunds.record(early);
      assert.deepEqual(await refunds.forOrder(orderId), [early, late]);
    });
  });
}
