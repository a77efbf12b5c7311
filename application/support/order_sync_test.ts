import assert from "node:assert/strict";
import type { OrderDocument } from "../../domain/support/order_document.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { syncOnce, type SyncOptions } from "../search/sync_catalog.ts";

const FAST: SyncOptions = { batchSize: 200, waitMs: 0, attempts: 2, backoffMs: 1 };

async function customerWithPaidOrder(core: TestCore, displayName = "Margaret Hamilton") {
  const { user } = await core.useCases.register({
    email: `${crypto.randomUUID()}@example.com`,
    password: "correct horse battery",
    displayName,
  });
  const order = await core.useCases.placeOrder({
    userId: user.id,
    items: [{ sku: "BOK-010", qty: 1 }],
  });
  await core.useCases.payOrder({
    userId: user.id,
    orderId: order.id,
    provider: "test",
    paymentToken: "tok_visa",
  });
  const [payment] = await core.ports.orders.payments(order.id);
  return { user, order, payment };
}

const search = (core: TestCore, q: string, extra = {}) =>
  core.useCases.searchOrders({ q, page: 1, size: 20, ...extra });

Deno.test("the sync keeps the support order index in step with the orders", async (t) => {
  await t.step("a paid order is found by misspelt name, SKU and payment reference", async () => {
    const core = await testCore();
    const { order, payment, user } = await customerWithPaidOrder(core);
    assert.equal((await search(core, "hamilton")).total, 0, "not before the sync");
    await core.syncAll();
    for (const q of ["Margret Hamiltn", "BOK-010", payment.providerRef, order.id.slice(0, 8)]) {
      const found = await search(core, q);
      assert.deepEqual(found.items.map((d) => d.id), [order.id], `q=${q}`);
    }
    const [doc] = (await search(core, user.email)).items;
    assert.equal(doc.status, "confirmed");
    assert.deepEqual(doc.customer, {
      id: user.id,
      email: user.email,
      displayName: "Margaret Hamilton",
    });
    assert.deepEqual(doc.totals, {
      subtotalCents: order.subtotalCents,
      shippingCents: order.shippingCents,
      taxCents: order.taxCents,
      totalCents: order.totalCents,
    });
    assert.deepEqual(doc.payments.map((p) => [p.provider, p.providerRef, p.status]), [
      ["test", payment.providerRef, "succeeded"],
    ]);
  });

  await t.step("each change reaches the index, and an old state never comes back", async () => {
    const core = await testCore();
    const { order } = await customerWithPaidOrder(core);
    await core.syncAll();
    const before = (await search(core, order.id)).items[0];
    await core.useCases.advanceOrder({ orderId: order.id, to: "shipped" });
    await core.syncAll();
    const shipped = (await search(core, order.id)).items[0];
    assert.equal(shipped.status, "shipped");
    assert.ok(shipped.version > before.version);
    // A late writer holding the state it read before the change:
    await core.ports.orderIndex.put(before);
    assert.equal((await search(core, order.id)).items[0].status, "shipped");
    assert.deepEqual(
      (await search(core, "", { status: "confirmed" })).items.map((d) => d.id),
      [],
    );
  });

  await t.step("a failed payment attempt adds its reference", async () => {
    const core = await testCore();
    const { user } = await core.useCases.register({
      email: "decline@example.com",
      password: "correct horse battery",
    });
    const order = await core.useCases.placeOrder({
      userId: user.id,
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    await assert.rejects(core.useCases.payOrder({
      userId: user.id,
      orderId: order.id,
      provider: "test",
      paymentToken: "tok_declined",
    }));
    await core.syncAll();
    const [declined] = await core.ports.orders.payments(order.id);
    const found = await search(core, declined.providerRef);
    assert.deepEqual(found.items.map((d) => [d.id, d.status]), [[order.id, "pending"]]);
  });

  await t.step("an order index outage stalls the sync at the event, losing nothing", async () => {
    const core = await testCore();
    const { order } = await customerWithPaidOrder(core);
    core.outages.elasticsearch.down = true;
    const pass = await syncOnce({ ...core.ports, state: core.ports.syncState }, core.changes, FAST);
    assert.equal(pass.stalled, true);
    core.outages.elasticsearch.down = false;
    await core.syncAll();
    assert.equal((await search(core, order.id)).total, 1);
    assert.deepEqual((await core.useCases.syncStatus()).parked, []);
  });

  await t.step("an order event that keeps failing is parked and shown in the status", async () => {
    const core = await testCore();
    const { order } = await customerWithPaidOrder(core);
    const refusing: OrderIndex = {
      search: (q) => core.ports.orderIndex.search(q),
      rebuild: (docs, p) => core.ports.orderIndex.rebuild(docs, p),
      put: (doc: OrderDocument) =>
        doc.id === order.id
          ? Promise.reject(new Error("mapper_parsing_exception"))
          : Promise.resolve(),
    };
    const deps = { ...core.ports, orderIndex: refusing, state: core.ports.syncState };
    const pass = await syncOnce(deps, core.changes, FAST);
    assert.ok(pass.parked >= 1);
    const status = await core.useCases.syncStatus();
    assert.ok(status.parked.some((p) => p.sku === order.id && /mapper_parsing/.test(p.error)));
    // The rebuild reads every order from the source and resolves what was parked.
    await core.useCases.startReindex();
    await core.useCases.reindexIdle();
    assert.equal((await search(core, order.id)).total, 1);
    assert.deepEqual((await core.useCases.syncStatus()).parked, []);
  });
});

Deno.test("the reindex job rebuilds the order index from the orders", async () => {
  const core = await testCore();
  const { order } = await customerWithPaidOrder(core);
  const other = await customerWithPaidOrder(core, "Katherine Johnson");
  // Nothing synced: the index knows neither order until the rebuild reads them.
  const job = await core.useCases.startReindex();
  assert.equal(job.status, "running");
  await core.useCases.reindexIdle();
  const done = await core.useCases.reindexJob();
  assert.equal(done?.status, "succeeded");
  const products = (await core.ports.catalog.list({ attrs: [], sort: "newest", page: 1, size: 1 }))
    .total;
  assert.equal(done?.indexed, products + 2);
  assert.deepEqual(
    (await search(core, "")).items.map((d) => d.id).sort(),
    [order.id, other.order.id].sort(),
  );
  assert.equal((await search(core, "Katherin Jonson")).items[0]?.id, other.order.id);
});
