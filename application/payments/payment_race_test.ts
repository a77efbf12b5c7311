/**
 * The client's confirmation (`payOrder`), the provider's webhook (`receivePaymentEvent`) and the
 * expiry sweeper, interleaved in every order that matters, on the memory fakes: each order is
 * confirmed at most once with its stock deducted once, and every succeeded charge either paid a
 * confirmed order or was refunded through the gateway and recorded.
 */
import assert from "node:assert/strict";
import { OrderNotPending, PaymentGatewayUnavailable } from "../../domain/errors.ts";
import { MemoryProcessedEvents } from "../../adapters/memory/processed_events.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { expireOrders } from "../ordering/manage_orders.ts";
import { IntentGateway, PlainEventSource } from "./_intent_fakes_test.ts";
import { payOrder } from "./pay_order.ts";
import { receivePaymentEvent } from "./payment_events.ts";

async function setup() {
  const core = await testCore();
  const gateway = new IntentGateway();
  const source = new PlainEventSource();
  const deps = {
    ...core.ports,
    gateways: new Map([["stripe", gateway]]),
    paymentEvents: new Map([["stripe", source]]),
    processedEvents: new MemoryProcessedEvents(),
  };
  const { user } = await core.useCases.register({
    email: "ada@example.com",
    password: "correct horse",
    displayName: "Ada",
  });
  const userId = user.id;
  // 3 x Dune (1099) = 3297 cents.
  const order = await core.useCases.placeOrder({ userId, items: [{ sku: "BOK-010", qty: 3 }] });
  const pay = () =>
    payOrder(deps, { userId, orderId: order.id, provider: "stripe", paymentToken: "pm_card" });
  const deliver = (rawBody: string) =>
    receivePaymentEvent(deps, { provider: "stripe", rawBody, signature: "signed" });
  /** The intent the first charge created, as the webhook names it. */
  const intent = (id = "pi_1") => ({
    id,
    orderId: order.id,
    amountCents: order.totalCents,
    currency: order.currency,
  });
  const sweep = () => expireOrders({ ...core.ports });
  return { core, deps, gateway, source, order, pay, deliver, intent, sweep };
}

async function state(core: TestCore, orderId: string) {
  const order = await core.ports.orders.get(orderId);
  const payments = await core.ports.orders.payments(orderId);
  const item = await core.ports.inventory.get("BOK-010");
  const refunds = await core.ports.refundedCharges!.forOrder(orderId);
  return {
    status: order?.status,
    paid: payments.filter((p) => p.status === "succeeded").map((p) => p.providerRef),
    stock: item?.stock,
    reserved: item?.reserved,
    refunds: refunds.map((r) => [r.providerRef, r.amountCents, r.reason]),
  };
}

Deno.test("a payment that needs the customer, then its confirmation", async (t) => {
  await t.step("answers the client secret, charges nothing, records nothing", async () => {
    const { core, pay, order, gateway } = await setup();
    const stock = (await core.ports.inventory.get("BOK-010"))?.stock;
    const result = await pay();
    assert.equal(result.kind, "action_required");
    assert.deepEqual(result.kind === "action_required" && result.action, {
      provider: "stripe",
      providerRef: "pi_1",
      clientSecret: "pi_1_secret_x",
      nextStep: "requires_action",
    });
    assert.equal(result.order.status, "pending");
    assert.deepEqual(await core.ports.orders.payments(order.id), []);
    assert.deepEqual(await state(core, order.id), {
      status: "pending",
      paid: [],
      stock,
      reserved: 3,
      refunds: [],
    });
    // A retry before the customer finished is the same attempt: the same PaymentIntent.
    const again = await pay();
    assert.equal(again.kind === "action_required" && again.action.providerRef, "pi_1");
    assert.deepEqual(gateway.requests.map((r) => r.attempt), [1, 1]);
  });

  await t.step("the client confirms first; the webhook, twice and late, replays", async () => {
    const { core, pay, deliver, source, gateway, intent, order } = await setup();
    const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
    await pay();
    gateway.finish("pi_1");
    const paid = await pay();
    assert.equal(paid.kind, "paid");
    const event = source.event(intent());
    assert.equal((await deliver(event)).outcome, "replayed");
    assert.equal((await deliver(event)).outcome, "duplicate");
    // Stripe may also send the success under another event id (a second endpoint, a resend).
    assert.equal((await deliver(source.event(intent()))).outcome, "replayed");
    assert.deepEqual(await state(core, order.id), {
      status: "confirmed",
      paid: ["pi_1"],
      stock: stock - 3,
      reserved: 0,
      refunds: [],
    });
    assert.equal(gateway.refundCalls, 0);
  });

  await t.step(
    "the webhook confirms first; the client's confirmation charges nothing",
    async () => {
      const { core, pay, deliver, source, gateway, intent, order } = await setup();
      const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
      await pay();
      gateway.finish("pi_1");
      assert.equal((await deliver(source.event(intent()))).outcome, "confirmed");
      await assert.rejects(
        pay(),
        (e) => e instanceof OrderNotPending && e.status === "confirmed",
      );
      assert.equal(gateway.requests.length, 1, "no second charge");
      assert.deepEqual(await state(core, order.id), {
        status: "confirmed",
        paid: ["pi_1"],
        stock: stock - 3,
        reserved: 0,
        refunds: [],
      });
    },
  );

  await t.step("the webhook lands while the client's charge is in flight", async () => {
    const { core, pay, deliver, source, gateway, intent, order } = await setup();
    const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
    await pay();
    gateway.finish("pi_1");
    gateway.duringCharge = async () => {
      assert.equal((await deliver(source.event(intent()))).outcome, "confirmed");
    };
    const paid = await pay();
    assert.equal(paid.kind === "paid" && paid.payment.providerRef, "pi_1");
    assert.deepEqual(await state(core, order.id), {
      status: "confirmed",
      paid: ["pi_1"],
      stock: stock - 3,
      reserved: 0,
      refunds: [],
    });
  });

  await t.step("client and two webhook deliveries at once: one confirmation", async () => {
    const { core, pay, deliver, source, gateway, intent, order } = await setup();
    const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
    await pay();
    gateway.finish("pi_1");
    const event = source.event(intent());
    const results = await Promise.allSettled([pay(), deliver(event), deliver(event)]);
    assert.ok(results.every((r) => r.status === "fulfilled"), JSON.stringify(results));
    const outcomes = results.slice(1).map((r) =>
      r.status === "fulfilled" && "outcome" in r.value && r.value.outcome
    );
    // One delivery handled the event (confirmed or replayed), the other was a duplicate or
    // raced past the check and replayed: never two confirmations.
    assert.ok(outcomes.filter((o) => o === "confirmed").length <= 1, String(outcomes));
    assert.deepEqual(await state(core, order.id), {
      status: "confirmed",
      paid: ["pi_1"],
      stock: stock - 3,
      reserved: 0,
      refunds: [],
    });
  });
});

Deno.test("a success after the order expired is refunded and recorded, once", async (t) => {
  await t.step("the sweeper first, then the webhook twice and the client", async () => {
    const { core, pay, deliver, source, gateway, intent, order, sweep } = await setup();
    const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
    await pay();
    gateway.finish("pi_1");
    core.clock.advance(core.useCases.settings.orderTtlMs);
    assert.equal(await sweep(), 1);
    const event = source.event(intent());
    assert.equal((await deliver(event)).outcome, "refunded_late");
    assert.equal((await deliver(event)).outcome, "duplicate");
    assert.equal((await deliver(source.event(intent()))).outcome, "refunded_late");
    await assert.rejects(pay(), OrderNotPending);
    assert.deepEqual([...gateway.refunded], [["pi_1", order.totalCents]]);
    assert.deepEqual(await state(core, order.id), {
      status: "cancelled",
      paid: [],
      stock,
      reserved: 0,
      refunds: [["pi_1", order.totalCents, "order_cancelled"]],
    });
    // Stripe then reports the refund: nothing more changes.
    const refunded = source.event(intent(), "charge_refunded");
    assert.equal((await deliver(refunded)).outcome, "ignored");
    assert.equal((await core.ports.orders.get(order.id))?.status, "cancelled");
  });

  await t.step("the order expires while the client's charge is in flight", async () => {
    const { core, pay, deliver, source, gateway, intent, order } = await setup();
    gateway.startAs = "succeeded";
    gateway.duringCharge = () => {
      core.clock.advance(core.useCases.settings.orderTtlMs);
      return Promise.resolve();
    };
    await assert.rejects(pay(), (e) => e instanceof OrderNotPending && e.status === "expired");
    assert.equal((await deliver(source.event(intent()))).outcome, "refunded_late");
    assert.deepEqual([...gateway.refunded], [["pi_1", order.totalCents]]);
    assert.deepEqual((await state(core, order.id)).refunds, [
      ["pi_1", order.totalCents, "order_expired"],
    ]);
  });

  await t.step(
    "a refund that fails leaves the event unhandled; its redelivery refunds",
    async () => {
      const { core, pay, deliver, source, gateway, intent, order, sweep } = await setup();
      await pay();
      gateway.finish("pi_1");
      core.clock.advance(core.useCases.settings.orderTtlMs);
      await sweep();
      const event = source.event(intent());
      gateway.refundsDown = true;
      await assert.rejects(deliver(event), PaymentGatewayUnavailable);
      assert.deepEqual((await state(core, order.id)).refunds, [], "not recorded: not refunded");
      gateway.refundsDown = false;
      assert.equal((await deliver(event)).outcome, "refunded_late");
      assert.deepEqual((await state(core, order.id)).refunds, [
        ["pi_1", order.totalCents, "order_cancelled"],
      ]);
    },
  );

  await t.step("a success for another amount is refunded and recorded", async () => {
    const { core, deliver, source, gateway, intent, order } = await setup();
    const event = source.event({ ...intent("pi_9"), amountCents: 1 });
    assert.equal((await deliver(event)).outcome, "amount_mismatch_refunded");
    assert.deepEqual([...gateway.refunded], [["pi_9", 1]]);
    assert.deepEqual((await state(core, order.id)).refunds, [["pi_9", 1, "amount_mismatch"]]);
    assert.equal((await core.ports.orders.get(order.id))?.status, "pending");
  });
});

Deno.test("a failed payment makes the next charge a new attempt", async () => {
  const { pay, deliver, source, gateway, intent } = await setup();
  await pay();
  const failed = source.event(intent(), "payment_failed");
  assert.equal((await deliver(failed)).outcome, "failure_recorded");
  const retry = await pay();
  assert.equal(retry.kind === "action_required" && retry.action.providerRef, "pi_2");
  assert.deepEqual(gateway.requests.map((r) => r.attempt), [1, 2]);
});
