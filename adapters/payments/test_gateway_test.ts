import assert from "node:assert/strict";
import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import { paymentGatewayContract } from "../../ports/contracts/payment_gateway_contract.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { TestPaymentGateway } from "./test_gateway.ts";

const req = (orderId: string, token: string) => ({
  orderId,
  amountCents: 2500,
  currency: "USD",
  token,
  attempt: 1,
});

Deno.test("TestPaymentGateway", async (t) => {
  await t.step("charge() answers by token with a per-order reference", async () => {
    const gw = new TestPaymentGateway();
    assert.equal(gw.provider, "test");
    assert.deepEqual(await gw.charge(req("o1", "tok_visa")), {
      status: "succeeded",
      providerRef: "test_ch_o1",
    });
    assert.deepEqual(await gw.charge(req("o2", "tok_declined")), {
      status: "declined",
      providerRef: "test_dc_o2_2",
      reason: "card_declined",
    });
    assert.deepEqual(await gw.charge(req("o3", "tok_bogus")), {
      status: "declined",
      providerRef: "test_dc_o3_3",
      reason: "invalid_token",
    });
    await assert.rejects(gw.charge(req("o4", "tok_error")), PaymentGatewayUnavailable);
    assert.deepEqual(gw.charges.map((c) => c.request.orderId), ["o1", "o2", "o3"]);
  });

  await t.step("charging an order twice returns the same result and records once", async () => {
    const gw = new TestPaymentGateway();
    const first = await gw.charge(req("o1", "tok_visa"));
    const second = await gw.charge(req("o1", "tok_visa"));
    assert.deepEqual(second, first);
    assert.equal(gw.charges.length, 1);
  });

  await t.step("a declined order can be charged again and then succeeds", async () => {
    const gw = new TestPaymentGateway();
    const declined = await gw.charge(req("o1", "tok_declined"));
    const again = await gw.charge(req("o1", "tok_declined"));
    assert.notEqual(again.providerRef, declined.providerRef);
    assert.deepEqual(await gw.charge(req("o1", "tok_visa")), {
      status: "succeeded",
      providerRef: "test_ch_o1",
    });
    assert.equal(gw.charges.length, 3);
  });

  await t.step("refund() records known succeeded charges and rejects anything else", async () => {
    const gw = new TestPaymentGateway();
    await gw.charge(req("o1", "tok_visa"));
    await gw.charge(req("o2", "tok_declined"));
    await gw.refund("test_ch_o1", 1000);
    await gw.refund("test_ch_o1", 1500);
    assert.deepEqual(gw.refunds, [
      { providerRef: "test_ch_o1", amountCents: 1000 },
      { providerRef: "test_ch_o1", amountCents: 1500 },
    ]);
    await assert.rejects(gw.refund("test_ch_o1", 1), Error); // more than charged
    await gw.refund("test_ch_o1", 2500); // a repeated full refund is a no-op
    await assert.rejects(gw.refund("test_dc_o2_2", 100), Error); // declined
    await assert.rejects(gw.refund("test_ch_nope", 100), Error); // unknown
    assert.equal(gw.refunds.length, 2);
  });
});

paymentGatewayContract("TestPaymentGateway", () => {
  const gateway = new TestPaymentGateway();
  const unreachable: PaymentGateway = {
    provider: gateway.provider,
    charge: (request) => gateway.charge({ ...request, token: "tok_error" }),
    refund: (ref, amount) => gateway.refund(ref, amount),
  };
  return Promise.resolve({
    subject: { gateway, unreachable, paymentMethod: "tok_visa", settles: true },
    close: () => Promise.resolve(),
  });
});
