import assert from "node:assert/strict";
import { harness, invalidFields } from "./_harness_test.ts";

Deno.test("leaderboards rank today's best sellers and loyal customers", async (t) => {
  const h = await harness({ seed: false });
  await h.product("LB-A", { stock: 20, priceCents: 10_000, name: "Popular" });
  await h.product("LB-B", { stock: 20, priceCents: 2_000, name: "Niche" });
  const buy = async (token: string, sku: string, qty: number) => {
    const order = await h.call("POST", "/orders", {
      token,
      body: { ...await h.delivery(), items: [{ sku, qty }] },
    });
    const paid = await h.call("POST", "/payments", {
      token,
      body: { orderId: order.body.id, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(paid.status, 201, paid.text);
  };
  const ann = await h.register("ann@polycart.test");
  const ben = await h.register("ben@polycart.test");
  await buy(ann.token, "LB-A", 3);
  await buy(ben.token, "LB-B", 1);
  await buy(ben.token, "LB-A", 1);

  await t.step("GET /leaderboards/products: units sold today, ranked", async () => {
    const res = await h.call("GET", "/leaderboards/products?period=daily&limit=10");
    assert.equal(res.status, 200);
    assert.equal(res.body.period, "daily");
    assert.equal(res.body.day, "2025-03-03");
    assert.deepEqual(res.body.items, [
      { sku: "LB-A", name: "Popular", score: 4, rank: 1 },
      { sku: "LB-B", name: "Niche", score: 1, rank: 2 },
    ]);
    const other = await h.call("GET", "/leaderboards/products?day=2025-03-02");
    assert.deepEqual(other.body.items, []);
  });

  await t.step("GET /leaderboards/customers: loyalty points, ranked", async () => {
    const res = await h.call("GET", "/leaderboards/customers?limit=1");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items, [
      { displayName: "ann", score: 300, rank: 1 },
    ]);
    assert.ok(!res.text.includes("@polycart.test"));
    assert.ok(!res.text.includes(ann.userId), "user ids stay private");
  });

  await t.step("GET /me/rank follows the purchases", async () => {
    const res = await h.call("GET", "/me/rank", { token: ben.token });
    assert.deepEqual(res.body, { rank: 2, score: 120 });
  });

  await t.step("an empty parameter counts as absent", async () => {
    const res = await h.call("GET", "/leaderboards/products?period=daily&limit=");
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 2);
  });

  await t.step("400 for unknown periods and limits out of range", async () => {
    assert.deepEqual(
      invalidFields(await h.call("GET", "/leaderboards/products?period=weekly&limit=0")).sort(),
      ["limit", "period"],
    );
    assert.deepEqual(invalidFields(await h.call("GET", "/leaderboards/customers?limit=101")), [
      "limit",
    ]);
  });
});
