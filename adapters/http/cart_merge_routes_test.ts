import assert from "node:assert/strict";
import { newInventoryItem } from "../../domain/inventory/stock.ts";
import { assertProblem, harness } from "./_harness_test.ts";

const PASSWORD = "correct horse battery";

async function shop() {
  const h = await harness({ seed: false });
  await h.product("MERGE-A", { stock: 5, priceCents: 1_000 });
  await h.product("MERGE-B", { stock: 3, priceCents: 2_000 });
  await h.product("MERGE-GONE", { stock: 3, priceCents: 500 });
  await h.product("MERGE-SOLD", { stock: 2, priceCents: 700 });
  await h.memory.ports.inventory.create(newInventoryItem({
    sku: "MERGE-EUR",
    name: "Ein Buch",
    unitPriceCents: 1_500,
    currency: "EUR",
    stock: 10,
  }, h.clock.now()));
  /** A guest cart holding `lines`, and its token. */
  const guestCart = async (lines: [string, number][]) => {
    let cartToken: string | undefined;
    for (const [sku, qty] of lines) {
      const res = await h.call("POST", "/cart/items", {
        headers: cartToken ? { "X-Cart-Token": cartToken } : {},
        body: { sku, qty },
      });
      assert.equal(res.status, 200, res.text);
      cartToken ??= res.headers.get("x-cart-token")!;
    }
    return cartToken!;
  };
  let n = 0;
  const register = async (cartToken?: string) => {
    const email = `merge${++n}@polycart.test`;
    const res = await h.call("POST", "/auth/register", {
      headers: cartToken ? { "X-Cart-Token": cartToken } : {},
      body: { email, password: PASSWORD },
    });
    assert.equal(res.status, 201, res.text);
    return { email, token: res.body.token as string, res };
  };
  const login = (email: string, cartToken?: string) =>
    h.call("POST", "/auth/login", {
      headers: cartToken ? { "X-Cart-Token": cartToken } : {},
      body: { email, password: PASSWORD },
    });
  const linesOf = async (token: string) =>
    Object.fromEntries(
      (await h.call("GET", "/cart", { token })).body.items.map((
        i: { sku: string; qty: number },
      ) => [i.sku, i.qty]),
    );
  return { h, guestCart, register, login, linesOf };
}

Deno.test("signing in with X-Cart-Token merges the guest cart", async (t) => {
  const { h, guestCart, register, login, linesOf } = await shop();

  await t.step("register merges it into the new account's cart", async () => {
    const cartToken = await guestCart([["MERGE-A", 2], ["MERGE-B", 1]]);
    const { token, res } = await register(cartToken);
    assert.deepEqual(res.body.cartMerge, {
      result: "merged",
      merged: [{ sku: "MERGE-A", qty: 2 }, { sku: "MERGE-B", qty: 1 }],
      capped: [],
      dropped: [],
    });
    assert.deepEqual(await linesOf(token), { "MERGE-A": 2, "MERGE-B": 1 });
    const gone = await h.call("GET", "/cart", { headers: { "X-Cart-Token": cartToken } });
    assertProblem(gone, 404, "cart_not_found");
  });

  await t.step("without the header the answer has no cartMerge", async () => {
    const { email, res } = await register();
    assert.equal("cartMerge" in res.body, false);
    assert.equal("cartMerge" in (await login(email)).body, false);
  });

  await t.step(
    "login adds quantities, capped at what is available; unsellable lines are dropped",
    async () => {
      const { email, token } = await register();
      await h.call("POST", "/cart/items", { token, body: { sku: "MERGE-A", qty: 4 } });
      const cartToken = await guestCart([
        ["MERGE-A", 3],
        ["MERGE-B", 2],
        ["MERGE-GONE", 1],
        ["MERGE-SOLD", 2],
      ]);
      // A guest cart in another currency than the account's (straight into the store: the
      // guest routes keep one currency per cart too).
      const guest = await h.useCases.guestCartOwner(cartToken);
      await h.memory.ports.carts.add(guest, "MERGE-EUR", 1);
      await h.useCases.deleteProduct("MERGE-GONE");
      await h.useCases.placeOrder({ userId: "someone", items: [{ sku: "MERGE-SOLD", qty: 2 }] });
      await h.memory.syncAll();
      const res = await login(email, cartToken);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.cartMerge, {
        result: "merged",
        merged: [{ sku: "MERGE-B", qty: 2 }],
        capped: [{ sku: "MERGE-A", requested: 3, merged: 1, limit: 5 }],
        dropped: [
          { sku: "MERGE-EUR", qty: 1, reason: "currency_mismatch" },
          { sku: "MERGE-GONE", qty: 1, reason: "unavailable" },
          { sku: "MERGE-SOLD", qty: 2, reason: "out_of_stock" },
        ],
      });
      assert.deepEqual(await linesOf(token), { "MERGE-A": 5, "MERGE-B": 2 });
    },
  );

  await t.step("a token is used once: reusing it finds no cart, changes nothing", async () => {
    const cartToken = await guestCart([["MERGE-B", 1]]);
    const first = await register(cartToken);
    assert.equal(first.res.body.cartMerge.result, "merged");
    const again = await login(first.email, cartToken);
    assert.equal(again.status, 200, "signing in never fails because of a cart token");
    assert.deepEqual(again.body.cartMerge, {
      result: "cart_not_found",
      merged: [],
      capped: [],
      dropped: [],
    });
    const other = await register(cartToken);
    assert.equal(other.res.body.cartMerge.result, "cart_not_found");
    assert.deepEqual(await linesOf(first.token), { "MERGE-B": 1 });
    assert.deepEqual(await linesOf(other.token), {});
  });

  await t.step("an unknown or expired token finds no cart; sign-in still succeeds", async () => {
    const { email } = await register();
    const res = await login(email, "tok-never-issued");
    assert.equal(res.status, 200);
    assert.equal(res.body.cartMerge.result, "cart_not_found");
  });

  await t.step("two sign-ins with one token at once merge it once", async () => {
    const cartToken = await guestCart([["MERGE-B", 1]]);
    const { email, token } = await register();
    const both = await Promise.all([login(email, cartToken), login(email, cartToken)]);
    assert.deepEqual(both.map((r) => r.status), [200, 200]);
    const results = both.map((r) => r.body.cartMerge.result).sort();
    assert.equal(results.filter((r) => r === "merged").length, 1, results.join());
    assert.deepEqual(await linesOf(token), { "MERGE-B": 1 });

    const shared = await guestCart([["MERGE-B", 1]]);
    const [a, b] = [await register(), await register()];
    const racing = await Promise.all([login(a.email, shared), login(b.email, shared)]);
    const won = racing.map((r) => r.body.cartMerge.result);
    assert.deepEqual(won.slice().sort(), ["cart_not_found", "merged"]);
    const total = (await linesOf(a.token))["MERGE-B"] ?? 0;
    assert.equal(total + ((await linesOf(b.token))["MERGE-B"] ?? 0), 1, "one account got it");
  });

  await t.step("a failed registration leaves the guest cart alone", async () => {
    const cartToken = await guestCart([["MERGE-B", 1]]);
    const { email } = await register();
    const taken = await h.call("POST", "/auth/register", {
      headers: { "X-Cart-Token": cartToken },
      body: { email, password: PASSWORD },
    });
    assertProblem(taken, 409, "email_taken");
    const still = await h.call("GET", "/cart", { headers: { "X-Cart-Token": cartToken } });
    assert.equal(still.status, 200);
  });

  await t.step("cart store down: sign-in succeeds, the merge can be retried", async () => {
    const cartToken = await guestCart([["MERGE-B", 1]]);
    const { email, token } = await register();
    h.memory.outages.redis.down = true;
    let res;
    try {
      res = await login(email, cartToken);
    } finally {
      h.memory.outages.redis.down = false;
    }
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.cartMerge.result, "cart_unavailable");
    const retry = await login(email, cartToken);
    assert.equal(retry.body.cartMerge.result, "merged");
    assert.deepEqual(await linesOf(token), { "MERGE-B": 1 });
  });
});
