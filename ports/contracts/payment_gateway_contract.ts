import assert from "node:assert/strict";
import { PaymentGatewayUnavailable } from "../../domain/errors.ts";
import type { PaymentGateway } from "../payments/payment_gateway.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/** One HTTP request an adapter sent, as its fixture saw it. */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | null;
  readonly status: number;
}

export interface GatewayUnderTest {
  readonly gateway: PaymentGateway;
  /** The same adapter whose provider cannot be reached. */
  readonly unreachable: PaymentGateway;
  /** A payment method (token) the provider accepts. */
  readonly paymentMethod: string;
  /**
   * Whether a charge really settles (the test provider, Stripe itself). stripe-mock answers
   * from fixtures, so its PaymentIntents never reach `succeeded` and it keeps no state.
   */
  readonly settles: boolean;
  /** Every HTTP request sent so far, for an adapter that speaks HTTP. */
  readonly requests?: () => readonly SentRequest[];
}

const order = () => ({
  orderId: crypto.randomUUID(),
  amountCents: 4_250,
  currency: "EUR",
  attempt: 1,
});

export function paymentGatewayContract(
  label: string,
  make: MakeFixture<GatewayUnderTest>,
  options: ContractOptions = {},
): void {
  defineContract("PaymentGateway", label, make, options, async (step) => {
    await step("a charge of the order total is accepted and names its reference", async (g) => {
      const result = await g.gateway.charge({ ...order(), token: g.paymentMethod });
      assert.ok(result.providerRef.length > 0);
      if (g.settles) assert.equal(result.status, "succeeded");
      assertAccepted(g);
    });

    await step("a retried charge is the same attempt: it never charges twice", async (g) => {
      const request = { ...order(), token: g.paymentMethod };
      const first = await g.gateway.charge(request);
      const again = await g.gateway.charge(request);
      if (g.settles) assert.equal(again.providerRef, first.providerRef);
      const sent = g.requests?.().filter((r) => r.method === "POST") ?? [];
      if (sent.length > 0) {
        assert.equal(sent.length, 2);
        assert.ok(sent[0].idempotencyKey, "every charge carries an idempotency key");
        assert.equal(sent[1].idempotencyKey, sent[0].idempotencyKey);
      }
      assertAccepted(g);
    });

    await step("another order is another attempt", async (g) => {
      await g.gateway.charge({ ...order(), token: g.paymentMethod });
      await g.gateway.charge({ ...order(), token: g.paymentMethod });
      const keys = g.requests?.().map((r) => r.idempotencyKey) ?? [];
      if (keys.length > 0) assert.notEqual(keys[0], keys[1]);
    });

    await step("a charge refunds in parts, up to its amount", async (g) => {
      const request = { ...order(), token: g.paymentMethod };
      const { providerRef } = await g.gateway.charge(request);
      await g.gateway.refund(providerRef, 1_000);
      await g.gateway.refund(providerRef, request.amountCents - 1_000);
      const refunds = g.requests?.().filter((r) => r.path.startsWith("/v1/refunds")) ?? [];
      if (g.requests) {
        assert.equal(refunds.length, 2);
        assert.ok(refunds.every((r) => r.idempotencyKey), "every refund has an idempotency key");
      }
      assertAccepted(g);
    });

    await step("an unreachable provider is PaymentGatewayUnavailable", async (g) => {
      await assert.rejects(
        g.unreachable.charge({ ...order(), token: g.paymentMethod }),
        PaymentGatewayUnavailable,
      );
    });
  });
}

function assertAccepted(g: GatewayUnderTest): void {
  for (const r of g.requests?.() ?? []) {
    assert.ok(r.status < 400, `${r.method} ${r.path} was refused with ${r.status}`);
  }
}
