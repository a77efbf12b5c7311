import assert from "node:assert/strict";
import {
  InvalidTransition,
  NotFound,
  PaymentGatewayUnavailable,
  UnsupportedProvider,
} from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { getOrderDetail, PRODUCT_UNAVAILABLE, refundOrder } from "./manage_orders.ts";

const USER = "user-1";

function place(core: TestCore, items = [{ sku: "BOK-010", qty: 2 }], userId = USER) {
  return core.useCases.placeOrder({ userId, items });
}

async function paid(core: TestCore, items = [{ sku: "BOK-010", qty: 2 }]) {
  const order = await place(core, items);
  await core.useCases.payOrder({
    userId: USER,
    orderId: order.id,
    provider: "test",
    paymentToken: "tok_visa",
  });
  return order;
}

function rejectsTransition(from: string, to: string) {
  return (error: unknown) => {
    assert.ok(error instanceof InvalidTransition, String(error));
    assert.equal(error.code, "invalid_transition");
    assert.equal(error.from, from);
    assert.equal(error.to, to);
    return true;
  };
}

Deno.test("cancelOrder() cancels the user's pending order and releases its stock", async (t) => {
  await t.step("releases every reserved unit", async () => {
    const core = await testCore();
    const order = await place(core, [{ sku: "BOK-010", qty: 2 }, {
      sku: "LAP-005-32-1024",
      qty: 4,
    }]);
    assert.equal((await core.ports.inventory.get("LAP-005-32-1024"))?.reserved, 4);
    const cancelled = await core.useCases.cancelOrder({ userId: USER, orderId: order.id });
    assert.equal(cancelled.status, "cancelled");
    for (const item of await core.ports.inventory.getMany(["BOK-010", "LAP-005-32-1024"])) {
      assert.equal(item.reserved, 0, item.sku);
    }
    await place(core, [{ sku: "LAP-005-32-1024", qty: 4 }]);
  });

  await t.step("another user's order is NotFound and stays pending", async () => {
    const core = await testCore();
    const order = await place(core);
    await assert.rejects(
      core.useCases.cancelOrder({ userId: "intruder", orderId: order.id }),
      (error) => error instanceof NotFound && error.resource === "order" && error.id === order.id,
    );
    assert.equal((await core.ports.orders.get(order.id))?.status, "pending");
  });

  await t.step("a confirmed or cancelled order cannot be cancelled", async () => {
    const core = await testCore();
    const confirmed = await paid(core);
    await assert.rejects(
      core.useCases.cancelOrder({ userId: USER, orderId: confirmed.id }),
      rejectsTransition("confirmed", "cancelled"),
    );
    const order = await place(core);
    await core.useCases.cancelOrder({ userId: USER, orderId: order.id });
    await assert.rejects(
      core.useCases.cancelOrder({ userId: USER, orderId: order.id }),
      rejectsTransition("cancelled", "cancelled"),
    );
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0, "released only once");
  });
});

Deno.test("advanceOrder() ships and delivers confirmed orders", async (t) => {
  await t.step("confirmed -> shipped -> delivered", async () => {
    const core = await testCore();
    const order = await paid(core);
    assert.equal(
      (await core.useCases.advanceOrder({ orderId: order.id, to: "shipped" })).status,
      "shipped",
    );
    assert.equal(
      (await core.useCases.advanceOrder({ orderId: order.id, to: "delivered" })).status,
      "delivered",
    );
  });

  await t.step("rejects skipping or going back with InvalidTransition", async () => {
    const core = await testCore();
    const pending = await place(core);
    await assert.rejects(
      core.useCases.advanceOrder({ orderId: pending.id, to: "shipped" }),
      rejectsTransition("pending", "shipped"),
    );
    const order = await paid(core);
    await assert.rejects(
      core.useCases.advanceOrder({ orderId: order.id, to: "delivered" }),
      rejectsTransition("confirmed", "delivered"),
    );
    await core.useCases.advanceOrder({ orderId: order.id, to: "shipped" });
    await core.useCases.advanceOrder({ orderId: order.id, to: "delivered" });
    await assert.rejects(
      core.useCases.advanceOrder({ orderId: order.id, to: "shipped" }),
      rejectsTransition("delivered", "shipped"),
    );
  });

  await t.step("an unknown order is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(
      core.useCases.advanceOrder({ orderId: "missing", to: "shipped" }),
      NotFound,
    );
  });
});

Deno.test("refundOrder() returns the money and restocks", async (t) => {
  await t.step(
    "refunds the charge through the gateway, restocks and marks the payment",
    async () => {
      const core = await testCore();
      const before = (await core.ports.inventory.get("BOK-010"))!.stock;
      const order = await paid(core);
      assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, before - 2);
      await core.useCases.advanceOrder({ orderId: order.id, to: "shipped" });

      const refunded = await core.useCases.refundOrder({ orderId: order.id });

      assert.equal(refunded.status, "refunded");
      assert.deepEqual(core.gateway.refunds, [
        { providerRef: `test_ch_${order.id}`, amountCents: 2198 },
      ]);
      const item = await core.ports.inventory.get("BOK-010");
      assert.equal(item?.stock, before);
      assert.equal(item?.reserved, 0);
      assert.deepEqual((await core.ports.orders.payments(order.id)).map((p) => p.status), [
        "refunded",
      ]);
    },
  );

  await t.step("a delivered order can be refunded", async () => {
    const core = await testCore();
    const order = await paid(core);
    await core.useCases.advanceOrder({ orderId: order.id, to: "shipped" });
    await core.useCases.advanceOrder({ orderId: order.id, to: "delivered" });
    assert.equal((await core.useCases.refundOrder({ orderId: order.id })).status, "refunded");
    assert.equal(core.gateway.refunds.length, 1);
  });

  await t.step(
    "pending, cancelled and refunded orders cannot be refunded and nothing is returned",
    async () => {
      const core = await testCore();
      const pending = await place(core);
      await assert.rejects(
        core.useCases.refundOrder({ orderId: pending.id }),
        rejectsTransition("pending", "refunded"),
      );
      await core.useCases.cancelOrder({ userId: USER, orderId: pending.id });
      await assert.rejects(
        core.useCases.refundOrder({ orderId: pending.id }),
        rejectsTransition("cancelled", "refunded"),
      );
      const order = await paid(core);
      await core.useCases.refundOrder({ orderId: order.id });
      const stock = (await core.ports.inventory.get("BOK-010"))?.stock;
      await assert.rejects(
        core.useCases.refundOrder({ orderId: order.id }),
        rejectsTransition("refunded", "refunded"),
      );
      assert.equal(core.gateway.refunds.length, 1, "refunded once");
      assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, stock, "restocked once");
    },
  );

  await t.step("a gateway failure refunds nothing and leaves the order as it was", async () => {
    const core = await testCore();
    const order = await paid(core);
    const stock = (await core.ports.inventory.get("BOK-010"))?.stock;
    const failing = {
      provider: "test",
      charge: () => Promise.reject(new Error("unused")),
      refund: () => Promise.reject(new Error("provider timeout")),
    };
    await assert.rejects(
      refundOrder({ ...core.ports, gateways: new Map([["test", failing]]) }, {
        orderId: order.id,
      }),
      (error) =>
        error instanceof PaymentGatewayUnavailable && error.provider === "test" &&
        String((error as Error).cause).includes("provider timeout"),
    );
    assert.equal((await core.ports.orders.get(order.id))?.status, "confirmed");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.stock, stock);
    assert.equal((await core.useCases.refundOrder({ orderId: order.id })).status, "refunded");
  });

  await t.step(
    "a provider that is no longer configured fails with UnsupportedProvider",
    async () => {
      const core = await testCore();
      const order = await paid(core);
      await assert.rejects(
        refundOrder({ ...core.ports, gateways: new Map() }, { orderId: order.id }),
        (error) => error instanceof UnsupportedProvider && error.provider === "test",
      );
      assert.equal((await core.ports.orders.get(order.id))?.status, "confirmed");
      assert.deepEqual((await core.ports.orders.payments(order.id)).map((p) => p.status), [
        "succeeded",
      ]);
    },
  );

  await t.step("an unknown order is NotFound", async () => {
    const core = await testCore();
    await assert.rejects(core.useCases.refundOrder({ orderId: "missing" }), NotFound);
  });
});

Deno.test("refundOrder() takes back loyalty points and best-seller units", async (t) => {
  const boards = async (core: TestCore, day: string) => ({
    points: (await core.useCases.customerRank(USER))?.score ?? 0,
    units: Object.fromEntries(
      (await core.useCases.topProducts({ limit: 10, day })).map((p) => [p.sku, p.score]),
    ),
  });

  await t.step("from the board of the day it was sold, not the day of the refund", async () => {
    const core = await testCore();
    const day = core.clock.now().toISOString().slice(0, 10);
    const kept = await paid(core, [{ sku: "BOK-010", qty: 1 }]); // 1099: 10 points
    const order = await paid(core, [{ sku: "BOK-010", qty: 2 }, { sku: "PHN-010", qty: 1 }]);
    assert.deepEqual(await boards(core, day), {
      points: 10 + 171, // 2 x 1099 + 14999 = 17197 cents
      units: { "BOK-010": 3, "PHN-010": 1 },
    });
    core.clock.advance(2 * 24 * 3_600_000);
    await core.useCases.refundOrder({ orderId: order.id });
    assert.deepEqual(await boards(core, day), {
      points: 10,
      units: { "BOK-010": 1, "PHN-010": 0 },
    });
    const today = core.clock.now().toISOString().slice(0, 10);
    assert.deepEqual((await boards(core, today)).units, {}, "nothing lands on the refund day");
    assert.equal((await core.ports.orders.get(kept.id))?.status, "confirmed");
  });

  await t.step("a second refund of the same order takes nothing back twice", async () => {
    const core = await testCore();
    const day = core.clock.now().toISOString().slice(0, 10);
    await paid(core, [{ sku: "BOK-010", qty: 1 }]);
    const order = await paid(core, [{ sku: "BOK-010", qty: 2 }]);
    await core.useCases.refundOrder({ orderId: order.id });
    await assert.rejects(core.useCases.refundOrder({ orderId: order.id }), InvalidTransition);
    assert.deepEqual(await boards(core, day), { points: 10, units: { "BOK-010": 1 } });
  });

  await t.step("a recovered attempt answers the order an earlier attempt refunded", async () => {
    const core = await testCore();
    const day = core.clock.now().toISOString().slice(0, 10);
    const order = await paid(core, [{ sku: "BOK-010", qty: 2 }]);
    await core.useCases.refundOrder({ orderId: order.id });
    const again = await core.useCases.refundOrder({ orderId: order.id, recovered: true });
    assert.equal(again.status, "refunded");
    assert.equal(core.gateway.refunds.length, 1);
    assert.deepEqual(await boards(core, day), { points: 0, units: { "BOK-010": 0 } });
  });

  await t.step("the refund succeeds while Redis is down (best effort)", async () => {
    const core = await testCore();
    const order = await paid(core);
    core.outages.redis.down = true;
    assert.equal((await core.useCases.refundOrder({ orderId: order.id })).status, "refunded");
  });
});

Deno.test("expireOrders() cancels overdue pending orders exactly once", async (t) => {
  await t.step("releases reservations when the TTL has passed, and only then", async () => {
    const core = await testCore();
    const a = await place(core, [{ sku: "LAP-005-32-1024", qty: 3 }]);
    core.clock.advance(60_000);
    const b = await place(core, [{ sku: "LAP-005-32-1024", qty: 1 }, { sku: "BOK-010", qty: 1 }]);
    const confirmed = await paid(core, [{ sku: "BOK-009", qty: 1 }]);

    core.clock.advance(core.useCases.settings.orderTtlMs - 60_001);
    assert.equal(await core.useCases.expireOrders(), 0);
    assert.equal((await core.ports.inventory.get("LAP-005-32-1024"))?.reserved, 4);

    core.clock.advance(1); // a's expiry
    assert.equal(await core.useCases.expireOrders(), 1);
    assert.equal((await core.ports.orders.get(a.id))?.status, "cancelled");
    assert.equal((await core.ports.orders.get(b.id))?.status, "pending");
    assert.equal((await core.ports.inventory.get("LAP-005-32-1024"))?.reserved, 1);

    core.clock.advance(60_000);
    assert.equal(await core.useCases.expireOrders(), 1);
    assert.equal(await core.useCases.expireOrders(), 0);
    for (const item of await core.ports.inventory.getMany(["LAP-005-32-1024", "BOK-010"])) {
      assert.equal(item.reserved, 0, item.sku);
    }
    assert.equal((await core.ports.orders.get(confirmed.id))?.status, "confirmed");
  });

  await t.step("concurrent sweeps in small batches expire each order once", async () => {
    const core = await testCore();
    for (let i = 0; i < 7; i++) await place(core, [{ sku: "BOK-010", qty: 1 }], `user-${i}`);
    const reservedBefore = (await core.ports.inventory.get("BOK-010"))!.reserved;
    assert.equal(reservedBefore, 7);
    core.clock.advance(core.useCases.settings.orderTtlMs);
    const counts = await Promise.all([
      core.useCases.expireOrders(2),
      core.useCases.expireOrders(2),
      core.useCases.expireOrders(3),
    ]);
    assert.equal(counts.reduce((a, b) => a + b, 0), 7);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0);
    assert.equal(
      (await core.useCases.listOrders({ status: "cancelled", page: 1, size: 100 })).total,
      7,
    );
  });
});

Deno.test("getOrderDetail() shows the user's own order with catalog images", async (t) => {
  await t.step("joins name, slug and first image from the catalog", async () => {
    const core = await testCore();
    const order = await place(core, [{ sku: "BOK-010", qty: 1 }]);
    const detail = await core.useCases.getOrder({ userId: USER, orderId: order.id });
    assert.equal(detail.id, order.id);
    assert.deepEqual(detail.items[0].product, {
      name: "Dune",
      slug: "dune",
      image: "https://img.polycart.example/BOK-010/1.jpg",
    });
    assert.equal(detail.items[0].productName, "Dune");
  });

  await t.step(
    "a product gone from the catalog shows as unavailable, the snapshot stays",
    async () => {
      const core = await testCore();
      const order = await paid(core, [{ sku: "BOK-010", qty: 1 }]);
      await core.useCases.deleteProduct("BOK-010");
      const detail = await core.useCases.getOrder({ userId: USER, orderId: order.id });
      assert.deepEqual(detail.items[0].product, {
        name: PRODUCT_UNAVAILABLE,
        slug: null,
        image: null,
      });
      assert.equal(detail.items[0].productName, "Dune");
      assert.equal(detail.items[0].unitPriceCents, 1099);
    },
  );

  await t.step("a catalog that is down degrades to unavailable instead of failing", async () => {
    const core = await testCore();
    const order = await place(core, [{ sku: "BOK-010", qty: 1 }]);
    const broken: Catalog = {
      ...core.ports.catalog,
      getMany: () => Promise.reject(new Error("mongo is down")),
    };
    const detail = await getOrderDetail({ ...core.ports, catalog: broken }, {
      userId: USER,
      orderId: order.id,
    });
    assert.equal(detail.items[0].product.name, PRODUCT_UNAVAILABLE);
  });

  await t.step("another user's order is NotFound, never forbidden", async () => {
    const core = await testCore();
    const order = await place(core);
    await assert.rejects(
      core.useCases.getOrder({ userId: "intruder", orderId: order.id }),
      (error) => error instanceof NotFound && error.id === order.id,
    );
  });
});

Deno.test("listOrders() lists newest first, by user and status", async (t) => {
  await t.step("filters and pages", async () => {
    const core = await testCore();
    const first = await place(core);
    core.clock.advance(1_000);
    const second = await paid(core);
    core.clock.advance(1_000);
    await place(core, undefined, "user-2");

    const mine = await core.useCases.listOrders({ userId: USER, page: 1, size: 10 });
    assert.deepEqual(mine.items.map((o) => o.id), [second.id, first.id]);
    assert.equal(mine.total, 2);
    const confirmed = await core.useCases.listOrders({
      userId: USER,
      status: "confirmed",
      page: 1,
      size: 10,
    });
    assert.deepEqual(confirmed.items.map((o) => o.id), [second.id]);
    const page2 = await core.useCases.listOrders({ page: 2, size: 2 });
    assert.equal(page2.total, 3);
    assert.deepEqual(page2.items.map((o) => o.id), [first.id]);
  });
});
