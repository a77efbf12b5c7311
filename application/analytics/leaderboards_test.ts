import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import { type TestCore, testCore } from "../../testing/core.ts";
import { topProducts } from "./leaderboards.ts";

async function buy(core: TestCore, userId: string, items: StockLine[]) {
  const order = await core.useCases.placeOrder({ userId, items });
  await core.useCases.payOrder({
    userId,
    orderId: order.id,
    provider: "test",
    paymentToken: "tok_visa",
  });
  return order;
}

async function customer(core: TestCore, name: string) {
  const { user } = await core.useCases.register({
    email: `${name.toLowerCase()}@example.com`,
    password: "correct horse",
    displayName: name,
  });
  return user.id;
}

Deno.test("topProducts() ranks today's best sellers by units", async (t) => {
  await t.step("counts paid units per SKU with catalog names", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    await buy(core, ada, [{ sku: "BOK-010", qty: 2 }, { sku: "BOK-009", qty: 1 }]);
    await buy(core, ada, [{ sku: "BOK-009", qty: 3 }]);
    await core.useCases.placeOrder({ userId: ada, items: [{ sku: "LAP-001-32-1024", qty: 9 }] }); // unpaid

    assert.deepEqual(await core.useCases.topProducts({ limit: 10 }), [
      { sku: "BOK-009", name: "The Midnight Library", score: 4, rank: 1 },
      { sku: "BOK-010", name: "Dune", score: 2, rank: 2 },
    ]);
    assert.equal((await core.useCases.topProducts({ limit: 1 })).length, 1);
  });

  await t.step("days are separate boards keyed by UTC date", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    await buy(core, ada, [{ sku: "BOK-010", qty: 2 }]);
    const yesterday = core.clock.now().toISOString().slice(0, 10);
    core.clock.advance(24 * 3_600_000);
    await buy(core, ada, [{ sku: "BOK-009", qty: 1 }]);
    assert.deepEqual((await core.useCases.topProducts({ limit: 10 })).map((p) => p.sku), [
      "BOK-009",
    ]);
    assert.deepEqual(
      (await core.useCases.topProducts({ limit: 10, day: yesterday })).map((p) => p.sku),
      ["BOK-010"],
    );
  });

  await t.step("a product gone from the catalog keeps its rank with no name", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    await buy(core, ada, [{ sku: "BOK-010", qty: 2 }]);
    await core.useCases.deleteProduct("BOK-010");
    assert.deepEqual(await core.useCases.topProducts({ limit: 10 }), [
      { sku: "BOK-010", name: null, score: 2, rank: 1 },
    ]);
  });

  await t.step("a catalog that fails leaves names out instead of failing", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    await buy(core, ada, [{ sku: "BOK-010", qty: 2 }]);
    const standings = await topProducts({
      ...core.ports,
      catalog: { ...core.ports.catalog, getMany: () => Promise.reject(new Error("down")) },
    }, { limit: 5 });
    assert.deepEqual(standings, [{ sku: "BOK-010", name: null, score: 2, rank: 1 }]);
  });

  await t.step("the leaderboard store being down is DependencyUnavailable", async () => {
    const core = await testCore();
    core.outages.redis.down = true;
    await assert.rejects(core.useCases.topProducts({ limit: 5 }), DependencyUnavailable);
  });
});

Deno.test("topCustomers() and customerRank() rank customers by loyalty points", async (t) => {
  await t.step("one point per whole dollar paid, summed over orders", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    const bob = await customer(core, "Bob");
    await buy(core, ada, [{ sku: "BOK-010", qty: 1 }]); // $10.99 -> 10
    await buy(core, ada, [{ sku: "BOK-010", qty: 1 }]); // -> 20 (not 21: per order)
    await buy(core, bob, [{ sku: "PHN-010", qty: 1 }]); // $149.99 -> 149

    assert.deepEqual(await core.useCases.topCustomers({ limit: 10 }), [
      { userId: bob, displayName: "Bob", score: 149, rank: 1 },
      { userId: ada, displayName: "Ada", score: 20, rank: 2 },
    ]);
    assert.deepEqual(await core.useCases.customerRank(ada), { rank: 2, score: 20 });
    assert.deepEqual(await core.useCases.customerRank(bob), { rank: 1, score: 149 });
  });

  await t.step("a customer with no paid order has no rank", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    await core.useCases.placeOrder({ userId: ada, items: [{ sku: "BOK-010", qty: 1 }] });
    assert.deepEqual(await core.useCases.customerRank(ada), { rank: null, score: 0 });
    assert.deepEqual(await core.useCases.topCustomers({ limit: 10 }), []);
  });

  await t.step("a declined payment earns nothing", async () => {
    const core = await testCore();
    const ada = await customer(core, "Ada");
    const order = await core.useCases.placeOrder({
      userId: ada,
      items: [{ sku: "BOK-010", qty: 1 }],
    });
    await assert.rejects(core.useCases.payOrder({
      userId: ada,
      orderId: order.id,
      provider: "test",
      paymentToken: "tok_declined",
    }));
    assert.deepEqual(await core.useCases.customerRank(ada), { rank: null, score: 0 });
  });
});
