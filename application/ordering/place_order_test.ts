import assert from "node:assert/strict";
import {
  AlreadyExists,
  CurrencyMismatch,
  DependencyUnavailable,
  EmptyOrder,
  IdempotencyInFlight,
  InsufficientStock,
  TooManyPendingOrders,
} from "../../domain/errors.ts";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { IDEMPOTENCY_LEASE_MS } from "../idempotency.ts";

const USER = "user-1";

/** The snapshot fields of a product sold under its own SKU. */
const plain = (sku: string) => ({ sku, productSku: sku, variantLabel: null });

Deno.test("placeOrder() reserves stock and creates a pending order", async (t) => {
  await t.step("from the cart when no items are given, snapshotting price and name", async () => {
    const core = await testCore();
    await core.useCases.addToCart(USER, { sku: "BOK-010", qty: 3 });
    await core.useCases.addToCart(USER, { sku: "LAP-002-16-512", qty: 1 });
    const order = await core.useCases.placeOrder({ userId: USER });
    assert.equal(order.status, "pending");
    assert.equal(order.userId, USER);
    assert.deepEqual(order.items, [
      {
        ...plain("BOK-010"),
        productName: "Dune",
        qty: 3,
        unitPriceCents: 1099,
        lineTotalCents: 3297,
        taxCents: 0,
      },
      {
        // A variant: its product and label are snapshotted from the inventory row.
        sku: "LAP-002-16-512",
        productSku: "LAP-002",
        variantLabel: "16 GB RAM / 512 GB SSD",
        productName: "Lenovo ThinkPad T14s Gen 5",
        qty: 1,
        unitPriceCents: 144900,
        lineTotalCents: 144900,
        taxCents: 0,
      },
    ]);
    assert.equal(order.totalCents, 148197);
    assert.equal(order.currency, "USD");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 3);
    assert.equal((await core.ports.inventory.get("LAP-002-16-512"))?.reserved, 1);
    assert.equal(
      (await core.useCases.getCart(USER)).items.length,
      2,
      "the cart is kept until the order is paid",
    );
  });

  await t.step("expires after the configured TTL", async () => {
    const core = await testCore({ settings: { orderTtlMs: 5 * 60_000 } });
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    assert.deepEqual(order.createdAt, core.clock.now());
    assert.equal(order.expiresAt.getTime() - order.createdAt.getTime(), 5 * 60_000);
  });

  await t.step("from explicit items, ignoring the cart", async () => {
    const core = await testCore();
    await core.useCases.addToCart(USER, { sku: "LAP-002-16-512", qty: 1 });
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-009", qty: 2 }],
    });
    assert.deepEqual(order.items.map((i) => [i.sku, i.qty]), [["BOK-009", 2]]);
    assert.equal((await core.ports.inventory.get("LAP-002-16-512"))?.reserved, 0);
  });

  await t.step("merges duplicate lines into one", async () => {
    const core = await testCore();
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-010", qty: 1 }, { sku: "BOK-009", qty: 1 }, { sku: "BOK-010", qty: 2 }],
    });
    assert.deepEqual(order.items.map((i) => [i.sku, i.qty, i.lineTotalCents]), [
      ["BOK-009", 1, 1600],
      ["BOK-010", 3, 3297],
    ]);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 3);
  });

  await t.step("merged duplicates are checked against stock as one line", async () => {
    const core = await testCore();
    // LAP-005-32-1024 has 4 in stock: 2 + 3 is too many even though each line alone fits.
    await assert.rejects(
      core.useCases.placeOrder({
        userId: USER,
        items: [{ sku: "LAP-005-32-1024", qty: 2 }, { sku: "LAP-005-32-1024", qty: 3 }],
      }),
      (error) => error instanceof InsufficientStock && error.skus.join() === "LAP-005-32-1024",
    );
    assert.equal((await core.ports.inventory.get("LAP-005-32-1024"))?.reserved, 0);
  });

  await t.step("an empty cart, no items or only zero quantities fail with EmptyOrder", async () => {
    const core = await testCore();
    await assert.rejects(core.useCases.placeOrder({ userId: USER }), (error) => {
      assert.ok(error instanceof EmptyOrder);
      assert.equal(error.code, "empty_order");
      return true;
    });
    await assert.rejects(core.useCases.placeOrder({ userId: USER, items: [] }), EmptyOrder);
    await assert.rejects(
      core.useCases.placeOrder({ userId: USER, items: [{ sku: "BOK-010", qty: 0 }] }),
      EmptyOrder,
    );
    assert.equal((await core.useCases.listOrders({ page: 1, size: 10 })).total, 0);
  });

  await t.step(
    "a cart that cannot be read fails with DependencyUnavailable; explicit items still work",
    async () => {
      const core = await testCore();
      core.outages.redis.down = true;
      await assert.rejects(core.useCases.placeOrder({ userId: USER }), DependencyUnavailable);
      const order = await core.useCases.placeOrder({
        userId: USER,
        items: [{ sku: "BOK-010", qty: 1 }],
      });
      assert.equal(order.status, "pending");
    },
  );
});

Deno.test("placeOrder() reserves every line or none", async (t) => {
  await t.step("names every short, sold-out and unknown SKU and reserves nothing", async () => {
    const core = await testCore();
    const before = await core.ports.inventory.getMany([
      "BOK-010",
      "LAP-005-32-1024",
      "LAP-008-16-256",
    ]);
    await assert.rejects(
      core.useCases.placeOrder({
        userId: USER,
        items: [
          { sku: "BOK-010", qty: 1 }, // fine
          { sku: "LAP-005-32-1024", qty: 5 }, // 4 in stock
          { sku: "LAP-008-16-256", qty: 1 }, // sold out
          { sku: "NOPE-001", qty: 1 }, // unknown
        ],
      }),
      (error) => {
        assert.ok(error instanceof InsufficientStock);
        assert.deepEqual([...error.skus].sort(), ["LAP-005-32-1024", "LAP-008-16-256", "NOPE-001"]);
        return true;
      },
    );
    assert.deepEqual(
      await core.ports.inventory.getMany(["BOK-010", "LAP-005-32-1024", "LAP-008-16-256"]),
      before,
      "no line was reserved",
    );
    assert.equal((await core.useCases.listOrders({ page: 1, size: 10 })).total, 0);
  });

  await t.step("a discontinued SKU is short", async () => {
    const core = await testCore();
    await core.useCases.deleteProduct("BOK-010");
    await assert.rejects(
      core.useCases.placeOrder({ userId: USER, items: [{ sku: "BOK-010", qty: 1 }] }),
      (error) => error instanceof InsufficientStock && error.skus.join() === "BOK-010",
    );
  });

  await t.step("stock reserved by another pending order is not available", async () => {
    const core = await testCore();
    await core.useCases.placeOrder({
      userId: "user-2",
      items: [{ sku: "LAP-005-32-1024", qty: 3 }],
    });
    await assert.rejects(
      core.useCases.placeOrder({ userId: USER, items: [{ sku: "LAP-005-32-1024", qty: 2 }] }),
      InsufficientStock,
    );
    await core.useCases.placeOrder({ userId: USER, items: [{ sku: "LAP-005-32-1024", qty: 1 }] });
    const item = await core.ports.inventory.get("LAP-005-32-1024");
    assert.equal(item?.reserved, 4);
    assert.equal(item?.stock, 4);
  });
});

Deno.test("placeOrder() snapshots prices and names", async (t) => {
  await t.step("a later price or name change does not touch a placed order", async () => {
    const core = await testCore();
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-010", qty: 2 }],
    });
    await core.useCases.updateProduct("BOK-010", { priceCents: 2500, name: "Dune (Deluxe)" });
    const [stored] = (await core.useCases.listOrders({ userId: USER, page: 1, size: 10 })).items;
    assert.equal(stored.id, order.id);
    assert.deepEqual(stored.items, [
      {
        ...plain("BOK-010"),
        productName: "Dune",
        qty: 2,
        unitPriceCents: 1099,
        lineTotalCents: 2198,
        taxCents: 0,
      },
    ]);
    assert.equal(stored.totalCents, 2198);

    const later = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-010", qty: 2 }],
    });
    assert.deepEqual(later.items[0], {
      ...plain("BOK-010"),
      productName: "Dune (Deluxe)",
      qty: 2,
      unitPriceCents: 2500,
      lineTotalCents: 5000,
      taxCents: 0,
    });
  });
});

Deno.test("placeOrder() never oversells under concurrency", async (t) => {
  await t.step("200 concurrent orders for a SKU with stock 50: exactly 50 succeed", async () => {
    const core = await testCore();
    await core.useCases.createProduct({
      sku: "HOT-001",
      name: "Limited Drop",
      category: "testing",
      brand: "Polycart",
      description: "Fifty pairs only.",
      images: [],
      attrs: {},
      variants: [],
      tags: [],
      priceCents: 9900,
      stock: 50,
    });
    const results = await Promise.allSettled(
      Array.from(
        { length: 200 },
        (_, i) =>
          core.useCases.placeOrder({ userId: `buyer-${i}`, items: [{ sku: "HOT-001", qty: 1 }] }),
      ),
    );
    const placed = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(placed.length, 50);
    assert.equal(refused.length, 150);
    for (const r of refused) {
      assert.ok(r.reason instanceof InsufficientStock, String(r.reason));
      assert.deepEqual(r.reason.skus, ["HOT-001"]);
    }
    const item = await core.ports.inventory.get("HOT-001");
    assert.equal(item?.stock, 50);
    assert.equal(item?.reserved, 50);
    const pending = await core.useCases.listOrders({ status: "pending", page: 1, size: 100 });
    assert.equal(pending.total, 50);
  });
});

Deno.test("placeOrder() under an idempotency key never places a second order", async (t) => {
  const scope = { userId: USER, key: "checkout-1", fingerprint: "POST /orders {...}" };
  const lines = [{ sku: "BOK-010", qty: 2 }];

  await t.step("a retry after an attempt died holding the key answers its order", async () => {
    const core = await testCore();
    let placed: string | undefined;
    // The first attempt places the order and dies before answering (it never settles).
    void core.useCases.runIdempotent(scope, async (attempt) => {
      placed = (await core.useCases.placeOrder({ userId: USER, items: lines, attempt })).id;
      return await new Promise<never>(() => {});
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(placed);
    await assert.rejects(
      core.useCases.runIdempotent(scope, () => Promise.reject(new Error("not run"))),
      IdempotencyInFlight,
      "within the lease the key is still held",
    );

    core.clock.advance(IDEMPOTENCY_LEASE_MS);
    const retry = await core.useCases.runIdempotent(scope, async (attempt) => {
      assert.deepEqual(attempt, { resourceId: placed, recovered: true });
      const order = await core.useCases.placeOrder({ userId: USER, items: lines, attempt });
      return { status: 201, body: order };
    });
    assert.equal((retry.body as { id: string }).id, placed);
    const orders = await core.useCases.listOrders({ userId: USER, page: 1, size: 10 });
    assert.equal(orders.total, 1);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 2, "reserved once");
  });

  await t.step("an attempt that died before placing anything is run afresh", async () => {
    const core = await testCore();
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: lines,
      attempt: { resourceId: "order-from-key", recovered: true },
    });
    assert.equal(order.id, "order-from-key");
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 2);
  });

  await t.step("a slow earlier attempt that placed first is answered, not doubled", async () => {
    const core = await testCore();
    const attempt = { resourceId: "order-from-key", recovered: false };
    const first = await core.useCases.placeOrder({ userId: USER, items: lines, attempt });
    const second = await core.useCases.placeOrder({ userId: USER, items: lines, attempt });
    assert.deepEqual(second, first);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 2);
  });

  await t.step("another user's order under the same id is never answered", async () => {
    const core = await testCore();
    const attempt = { resourceId: "order-from-key", recovered: true };
    await core.useCases.placeOrder({ userId: "someone-else", items: lines, attempt });
    await assert.rejects(
      core.useCases.placeOrder({ userId: USER, items: lines, attempt }),
      AlreadyExists,
    );
  });
});

Deno.test("placeOrder() keeps one currency per order", async (t) => {
  const withEuroBook = async () => {
    const core = await testCore();
    await core.ports.inventory.create(newInventoryItem({
      sku: "EUR-001",
      name: "Ein Buch",
      unitPriceCents: 1_500,
      currency: "EUR",
      stock: 10,
    }, core.clock.now()));
    return core;
  };

  await t.step(
    "explicit items in two currencies are CurrencyMismatch, nothing reserved",
    async () => {
      const core = await withEuroBook();
      await assert.rejects(
        core.useCases.placeOrder({
          userId: USER,
          items: [{ sku: "BOK-010", qty: 1 }, { sku: "EUR-001", qty: 1 }],
        }),
        (error) => {
          assert.ok(error instanceof CurrencyMismatch);
          assert.deepEqual([error.sku, error.expected, error.found], ["EUR-001", "USD", "EUR"]);
          return true;
        },
      );
      assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 0);
      assert.equal((await core.ports.inventory.get("EUR-001"))?.reserved, 0);
    },
  );

  await t.step("a cart that mixed currencies (a race) cannot become an order", async () => {
    const core = await withEuroBook();
    await core.ports.carts.add(USER, "BOK-010", 1);
    await core.ports.carts.add(USER, "EUR-001", 1); // straight into the store, as a race could
    await assert.rejects(core.useCases.placeOrder({ userId: USER }), CurrencyMismatch);
  });

  await t.step("an order in one foreign currency is fine and says so", async () => {
    const core = await withEuroBook();
    const order = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "EUR-001", qty: 2 }],
    });
    assert.equal(order.currency, "EUR");
    assert.equal(order.totalCents, 3_000);
  });
});

Deno.test("placeOrder() records where the lines came from", async (t) => {
  await t.step("from the cart: source cart; from items: source items", async () => {
    const core = await testCore();
    await core.useCases.addToCart(USER, { sku: "BOK-010", qty: 1 });
    assert.equal((await core.useCases.placeOrder({ userId: USER })).source, "cart");
    const explicit = await core.useCases.placeOrder({
      userId: USER,
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    assert.equal(explicit.source, "items");
  });
});

Deno.test("placeOrder() caps pending orders per user", async (t) => {
  const place = (core: TestCore, userId = USER) =>
    core.useCases.placeOrder({ userId, items: [{ sku: "BOK-010", qty: 1 }] });

  await t.step(
    "beyond MAX_PENDING_ORDERS_PER_USER it is TooManyPendingOrders, nothing reserved",
    async () => {
      const core = await testCore({ settings: { maxPendingOrdersPerUser: 2 } });
      await place(core);
      await place(core);
      await assert.rejects(place(core), (error) => {
        assert.ok(error instanceof TooManyPendingOrders);
        assert.equal(error.code, "too_many_pending_orders");
        assert.equal(error.limit, 2);
        return true;
      });
      assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 2);
      await place(core, "someone-else"); // the cap is per user
    },
  );

  await t.step("paid, cancelled and expired orders no longer count", async () => {
    const core = await testCore({ settings: { maxPendingOrdersPerUser: 2 } });
    const first = await place(core);
    const second = await place(core);
    await core.useCases.cancelOrder({ userId: USER, orderId: first.id });
    await core.useCases.payOrder({
      userId: USER,
      orderId: second.id,
      provider: "test",
      paymentToken: "tok_visa",
    });
    await place(core);
    await place(core);
    await assert.rejects(place(core), TooManyPendingOrders);
    core.clock.advance(core.useCases.settings.orderTtlMs); // both expire, unswept
    await place(core);
    await place(core);
  });

  await t.step("the default cap is 3", async () => {
    const core = await testCore();
    for (let i = 0; i < 3; i++) await place(core);
    await assert.rejects(place(core), TooManyPendingOrders);
  });
});
