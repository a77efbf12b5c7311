import assert from "node:assert/strict";
import {
  NotFound,
  OrderNotPending,
  PaymentDeclined,
  PaymentGatewayUnavailable,
  UnsupportedProvider,
} from "../../domain/errors.ts";
import type { PaymentGateway } from "../../ports/payments/payment_gateway.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { payOrder } from "./pay_order.ts";

async function customer(core: TestCore, email = "ada@example.com") {
  const { user } = await core.useCases.register({
    email,
    password: "correct horse",
    displayName: "Ada",
  });
  return user.id;
}

/** A pending order for 3 x Dune (1099) + 1 x Motorola (14999) = 18296 cents, placed from the cart. */
async function pendingOrder(core: TestCore, userId: string) {
  await core.useCases.addToCart(userId, { sku: "BOK-010", qty: 3 });
  await core.useCases.addToCart(userId, { sku: "PHN-010", qty: 1 });
  return core.useCases.placeOrder({ userId });
}

const pay = async (core: TestCore, userId: string, orderId: string, paymentToken = "tok_visa") => {
  const result = await core.useCases.payOrder({ userId, orderId, provider: "test", paymentToken });
  assert.equal(result.kind, "paid");
  return result as Extract<typeof result, { kind: "paid" }>;
};

Deno.test("payOrder() with a good card confirms the order", async (t) => {
  await t.step(
    "charges the server total, confirms, deducts stock and records the payment",
    async () => {
      const core = await testCore();
      const userId = await customer(core);
      const [dune, moto] = await core.ports.inventory.getMany(["BOK-010", "PHN-010"]);
      const order = await pendingOrder(core, userId);
      core.clock.advance(60_000);

      const { order: paid, payment } = await pay(core, userId, order.id);

      assert.equal(order.totalCents, 18296);
      assert.equal(core.gateway.charges.length, 1);
      assert.deepEqual(core.gateway.charges[0].request, {
        orderId: order.id,
        amountCents: 18296,
        currency: "USD",
        token: "tok_visa",
        attempt: 1,
      });
      assert.equal(paid.status, "confirmed");
      assert.deepEqual(paid.paidAt, core.clock.now());
      assert.equal(payment.status, "succeeded");
      assert.equal(payment.amountCents, 18296);
      assert.equal(payment.provider, "test");
      assert.equal(payment.providerRef, `test_ch_${order.id}`);
      assert.equal(payment.orderId, order.id);
      assert.deepEqual(await core.ports.orders.payments(order.id), [payment]);

      const [duneAfter, motoAfter] = await core.ports.inventory.getMany(["BOK-010", "PHN-010"]);
      assert.equal(duneAfter.stock, dune.stock - 3);
      assert.equal(duneAfter.reserved, 0);
      assert.equal(motoAfter.stock, moto.stock - 1);
      assert.equal(motoAfter.reserved, 0);
    },
  );

  await t.step("empties the cart it came from and updates the leaderboards", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await pay(core, userId, order.id);

    assert.deepEqual((await core.useCases.getCart(userId)).items, []);
    assert.deepEqual(await core.useCases.topProducts({ limit: 10 }), [
      { sku: "BOK-010", name: "Dune", score: 3, rank: 1 },
      { sku: "PHN-010", name: "Motorola Moto G Play 2024", score: 1, rank: 2 },
    ]);
    // 18296 cents is 182 whole dollars.
    assert.deepEqual(await core.useCases.customerRank(userId), { rank: 1, score: 182 });
  });

  await t.step("the amount charged is the server total even after a price change", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await core.useCases.adjustInventory("BOK-010", { unitPriceCents: 1 });
    const { payment } = await pay(core, userId, order.id);
    assert.equal(payment.amountCents, 18296);
    assert.equal(core.gateway.charges[0].request.amountCents, 18296);
  });

  await t.step("succeeds while Redis is down: cart and leaderboards are best effort", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    core.outages.redis.down = true;
    const { order: paid } = await pay(core, userId, order.id);
    assert.equal(paid.status, "confirmed");
    assert.equal((await core.ports.orders.get(order.id))?.status, "confirmed");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0);
  });
});

Deno.test("payOrder() takes exactly the ordered lines out of the cart", async (t) => {
  await t.step("an order from the cart: lines added or raised since checkout stay", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId); // 3 x BOK-010, 1 x PHN-010
    await core.useCases.addToCart(userId, { sku: "BOK-010", qty: 2 }); // raised to 5
    await core.useCases.addToCart(userId, { sku: "BOK-009", qty: 1 }); // added after checkout
    await pay(core, userId, order.id);
    const cart = await core.useCases.getCart(userId);
    assert.deepEqual(cart.items.map((i) => [i.sku, i.qty]), [["BOK-009", 1], ["BOK-010", 2]]);
  });

  await t.step("a line lowered since checkout goes, never below zero", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await core.useCases.setCartItem(userId, { sku: "BOK-010", qty: 1 });
    await pay(core, userId, order.id);
    assert.deepEqual((await core.useCases.getCart(userId)).items, []);
  });

  await t.step("an order placed with explicit items leaves the cart alone", async () => {
    const core = await testCore();
    const userId = await customer(core);
    await core.useCases.addToCart(userId, { sku: "BOK-010", qty: 2 });
    await core.useCases.addToCart(userId, { sku: "LAP-002-16-512", qty: 1 });
    const order = await core.useCases.placeOrder({
      userId,
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    await pay(core, userId, order.id);
    const cart = await core.useCases.getCart(userId);
    assert.deepEqual(cart.items.map((i) => [i.sku, i.qty]), [["BOK-010", 2], [
      "LAP-002-16-512",
      1,
    ]]);
  });

  await t.step("a replayed charge does not take the lines out twice", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await pay(core, userId, order.id);
    await core.useCases.addToCart(userId, { sku: "BOK-010", qty: 3 });
    await pay(core, userId, order.id).catch(() => {}); // not pending any more
    assert.deepEqual(
      (await core.useCases.getCart(userId)).items.map((i) => [i.sku, i.qty]),
      [["BOK-010", 3]],
    );
  });
});

Deno.test("payOrder() with a declined card leaves the order payable", async (t) => {
  await t.step(
    "fails with PaymentDeclined, keeps the order pending and its stock reserved",
    async () => {
      const core = await testCore();
      const userId = await customer(core);
      const order = await pendingOrder(core, userId);

      await assert.rejects(pay(core, userId, order.id, "tok_declined"), (error) => {
        assert.ok(error instanceof PaymentDeclined);
        assert.equal(error.code, "payment_declined");
        assert.equal(error.orderId, order.id);
        assert.equal(error.reason, "card_declined");
        return true;
      });
      assert.equal((await core.ports.orders.get(order.id))?.status, "pending");
      assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 3);
      const [attempt] = await core.ports.orders.payments(order.id);
      assert.equal(attempt.status, "declined");
      assert.equal(attempt.failureReason, "card_declined");
      assert.equal((await core.useCases.getCart(userId)).items.length, 2, "the cart is kept");

      const { order: paid } = await pay(core, userId, order.id, "tok_visa");
      assert.equal(paid.status, "confirmed");
      assert.deepEqual(
        (await core.ports.orders.payments(order.id)).map((p) => p.status),
        ["declined", "succeeded"],
      );
    },
  );

  await t.step("an unknown token declines as invalid_token", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await assert.rejects(
      pay(core, userId, order.id, "tok_whatever"),
      (error) => error instanceof PaymentDeclined && error.reason === "invalid_token",
    );
  });
});

Deno.test("payOrder() changes nothing when the gateway is down", async (t) => {
  await t.step(
    "tok_error fails with PaymentGatewayUnavailable and no order, stock or payment moves",
    async () => {
      const core = await testCore();
      const userId = await customer(core);
      const order = await pendingOrder(core, userId);
      const stockBefore = await core.ports.inventory.getMany(["BOK-010", "PHN-010"]);

      await assert.rejects(pay(core, userId, order.id, "tok_error"), (error) => {
        assert.ok(error instanceof PaymentGatewayUnavailable);
        assert.equal(error.code, "payment_gateway_error");
        assert.equal(error.provider, "test");
        return true;
      });
      assert.deepEqual(await core.ports.orders.get(order.id), order);
      assert.deepEqual(await core.ports.inventory.getMany(["BOK-010", "PHN-010"]), stockBefore);
      assert.deepEqual(await core.ports.orders.payments(order.id), []);
      assert.equal(core.gateway.charges.length, 0);
      assert.equal((await core.useCases.getCart(userId)).items.length, 2);

      const { order: paid } = await pay(core, userId, order.id);
      assert.equal(paid.status, "confirmed");
    },
  );
});

Deno.test("payOrder() refuses orders it must not charge", async (t) => {
  await t.step("another user's order is NotFound and nothing is charged", async () => {
    const core = await testCore();
    const owner = await customer(core, "owner@example.com");
    const other = await customer(core, "other@example.com");
    const order = await pendingOrder(core, owner);
    await assert.rejects(pay(core, other, order.id), (error) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.resource, "order");
      assert.equal(error.id, order.id);
      return true;
    });
    assert.equal(core.gateway.charges.length, 0);
    assert.equal((await core.ports.orders.get(order.id))?.status, "pending");
  });

  await t.step("an unknown order is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(pay(core, "user-1", "no-such-order"), NotFound);
  });

  await t.step("an unknown provider fails with UnsupportedProvider", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await assert.rejects(
      core.useCases.payOrder({ userId, orderId: order.id, provider: "paypal", paymentToken: "x" }),
      (error) => error instanceof UnsupportedProvider && error.provider === "paypal",
    );
  });

  await t.step("paying twice fails with OrderNotPending and charges once", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    await pay(core, userId, order.id);
    const stock = (await core.ports.inventory.get("BOK-010"))?.stock;
    await assert.rejects(pay(core, userId, order.id), (error) => {
      assert.ok(error instanceof OrderNotPending);
      assert.equal(error.orderId, order.id);
      assert.equal(error.status, "confirmed");
      return true;
    });
    assert.equal(core.gateway.charges.length, 1);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, stock);
    assert.equal((await core.ports.orders.payments(order.id)).length, 1);
    assert.deepEqual(await core.useCases.customerRank(userId), { rank: 1, score: 182 });
  });

  await t.step("two concurrent payments charge and confirm once", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    const stock = (await core.ports.inventory.get("BOK-010"))!.stock;
    const results = await Promise.allSettled([
      pay(core, userId, order.id),
      pay(core, userId, order.id),
    ]);
    assert.ok(results.some((r) => r.status === "fulfilled"));
    for (const r of results) {
      if (r.status === "rejected") assert.ok(r.reason instanceof OrderNotPending, String(r.reason));
    }
    assert.equal(core.gateway.charges.length, 1);
    assert.equal((await core.ports.orders.payments(order.id)).length, 1);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, stock - 3);
    assert.deepEqual(await core.useCases.customerRank(userId), { rank: 1, score: 182 });
    assert.deepEqual(
      (await core.useCases.topProducts({ limit: 1 }))[0],
      { sku: "BOK-010", name: "Dune", score: 3, rank: 1 },
    );
  });

  await t.step("an expired order fails with OrderNotPending without charging", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    core.clock.advance(core.useCases.settings.orderTtlMs);
    await assert.rejects(pay(core, userId, order.id), (error) => {
      assert.ok(error instanceof OrderNotPending);
      assert.equal(error.status, "expired");
      return true;
    });
    assert.equal(core.gateway.charges.length, 0);
    assert.equal(
      (await core.ports.inventory.get("BOK-010"))?.reserved,
      3,
      "still reserved until the sweeper runs",
    );
  });

  await t.step("a charge that completes after the order expired is refunded", async () => {
    const core = await testCore();
    const userId = await customer(core);
    const order = await pendingOrder(core, userId);
    // A slow provider: the order expires while the charge is in flight.
    const slow: PaymentGateway = {
      provider: "test",
      charge: async (request) => {
        const result = await core.gateway.charge(request);
        core.clock.advance(core.useCases.settings.orderTtlMs);
        return result;
      },
      refund: (ref, amount) => core.gateway.refund(ref, amount),
    };
    await assert.rejects(
      payOrder({ ...core.ports, gateways: new Map([["test", slow]]) }, {
        userId,
        orderId: order.id,
        provider: "test",
        paymentToken: "tok_visa",
      }),
      (error) => error instanceof OrderNotPending && error.status === "expired",
    );
    assert.deepEqual(core.gateway.refunds, [
      { providerRef: `test_ch_${order.id}`, amountCents: 18296 },
    ]);
    assert.equal((await core.ports.orders.get(order.id))?.status, "pending");
    assert.deepEqual(await core.ports.orders.payments(order.id), []);
    assert.equal(await core.useCases.expireOrders(), 1);
  });
});
