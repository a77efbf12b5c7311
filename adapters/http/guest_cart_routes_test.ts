import assert from "node:assert/strict";
import { GUEST_CART_TTL_MS } from "../../domain/cart/cart.ts";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const DAY_MS = 24 * 3_600_000;

async function shop() {
  const h = await harness({ seed: false });
  await h.product("GUEST-A", { stock: 5, priceCents: 1_000, name: "Alpha" });
  await h.product("GUEST-B", { stock: 2, priceCents: 2_500, name: "Beta" });
  /** Starts a guest cart with one unit of GUEST-A: its token and ETag. */
  const start = async () => {
    const res = await h.call("POST", "/cart/items", { body: { sku: "GUEST-A", qty: 1 } });
    assert.equal(res.status, 200, res.text);
    const cartToken = res.headers.get("x-cart-token");
    assert.ok(cartToken, "no X-Cart-Token");
    return { cartToken, etag: res.headers.get("etag")!, res };
  };
  const guest = (cartToken: string, more: Record<string, string> = {}) => ({
    "X-Cart-Token": cartToken,
    ...more,
  });
  return { h, start, guest };
}

Deno.test("guest carts: a first add without a session starts one", async (t) => {
  const { h, start, guest } = await shop();

  await t.step("POST /cart/items answers the cart, its token and its ETag", async () => {
    const { cartToken, etag, res } = await start();
    assert.match(etag, /^"\d+"$/);
    assert.deepEqual(res.body.items.map((i: { sku: string; qty: number }) => [i.sku, i.qty]), [
      ["GUEST-A", 1],
    ]);
    const again = await start();
    assert.notEqual(again.cartToken, cartToken, "each guest cart has its own token");
  });

  await t.step("the token names the cart on every cart route", async () => {
    const { cartToken } = await start();
    const headers = guest(cartToken);
    const add = await h.call("POST", "/cart/items", { headers, body: { sku: "GUEST-B", qty: 1 } });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.headers.get("x-cart-token"), null, "no new token for an existing cart");
    const set = await h.call("PUT", "/cart/items/GUEST-A", { headers, body: { qty: 3 } });
    assert.equal(set.body.totalCents, 3 * 1_000 + 2_500);
    const removed = await h.call("DELETE", "/cart/items/GUEST-B", { headers });
    assert.deepEqual(removed.body.items.map((i: { sku: string }) => i.sku), ["GUEST-A"]);
    const read = await h.call("GET", "/cart", { headers });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("etag"), removed.headers.get("etag"));
    assert.equal(read.body.items[0].qty, 3);
  });

  await t.step("guest writes check stock and SKUs as a user's do", async () => {
    const { cartToken } = await start();
    const headers = guest(cartToken);
    const over = await h.call("POST", "/cart/items", { headers, body: { sku: "GUEST-B", qty: 3 } });
    assertProblem(over, 409, "insufficient_stock");
    const unknown = await h.call("POST", "/cart/items", { body: { sku: "NOPE", qty: 1 } });
    assertProblem(unknown, 404, "not_found");
    const tooMany = await h.call("POST", "/cart/items", { body: { sku: "GUEST-B", qty: 3 } });
    assertProblem(tooMany, 409, "insufficient_stock");
  });

  await t.step("DELETE /cart empties a guest cart; its token keeps working", async () => {
    const { cartToken } = await start();
    const res = await h.call("DELETE", "/cart", { headers: guest(cartToken) });
    assert.equal(res.status, 204);
    assert.match(res.headers.get("etag") ?? "", /^"\d+"$/);
    const read = await h.call("GET", "/cart", { headers: guest(cartToken) });
    assert.deepEqual(read.body.items, []);
  });

  await t.step("an unknown, malformed or oversized token is 404 cart_not_found", async () => {
    for (const cartToken of ["tok-unknown", "not a token at all", "x".repeat(600)]) {
      const headers = guest(cartToken);
      assertProblem(await h.call("GET", "/cart", { headers }), 404, "cart_not_found");
      const add = await h.call("POST", "/cart/items", {
        headers,
        body: { sku: "GUEST-A", qty: 1 },
      });
      assertProblem(add, 404, "cart_not_found");
      const set = await h.call("PUT", "/cart/items/GUEST-A", { headers, body: { qty: 1 } });
      assertProblem(set, 404, "cart_not_found");
      const del = await h.call("DELETE", "/cart/items/GUEST-A", { headers });
      assertProblem(del, 404, "cart_not_found");
      assertProblem(await h.call("DELETE", "/cart", { headers }), 404, "cart_not_found");
    }
  });

  await t.step("a guest cart expires 7 days after its last change", async () => {
    const { cartToken } = await start();
    h.clock.advance(GUEST_CART_TTL_MS - DAY_MS);
    const headers = guest(cartToken);
    assert.equal((await h.call("GET", "/cart", { headers })).status, 200, "reading keeps it");
    await h.call("PUT", "/cart/items/GUEST-A", { headers, body: { qty: 2 } });
    h.clock.advance(GUEST_CART_TTL_MS - DAY_MS);
    assert.equal((await h.call("GET", "/cart", { headers })).status, 200, "a change refreshed it");
    h.clock.advance(DAY_MS);
    assertProblem(await h.call("GET", "/cart", { headers }), 404, "cart_not_found");
    const add = await h.call("POST", "/cart/items", { headers, body: { sku: "GUEST-A", qty: 1 } });
    assertProblem(add, 404, "cart_not_found");
  });

  await t.step("a session wins over a cart token; a bad session is 401", async () => {
    const { cartToken } = await start();
    const { token } = await h.register();
    const mine = await h.call("GET", "/cart", { token, headers: guest(cartToken) });
    assert.deepEqual(mine.body.items, [], "the user's cart, not the guest's");
    const bad = await h.call("GET", "/cart", { token: "expired", headers: guest(cartToken) });
    assertProblem(bad, 401, "unauthenticated");
    const badAdd = await h.call("POST", "/cart/items", {
      token: "expired",
      body: { sku: "GUEST-A", qty: 1 },
    });
    assertProblem(badAdd, 401, "unauthenticated");
  });

  await t.step("guests get shipping options and a quote by country", async () => {
    const { cartToken } = await start();
    const headers = guest(cartToken);
    const options = await h.call("GET", "/cart/shipping-options?country=US", { headers });
    assert.equal(options.status, 200, options.text);
    assert.equal(options.body.subtotalCents, 1_000);
    const quote = await h.call("GET", "/cart/quote?country=US", { headers });
    assert.equal(quote.status, 200, quote.text);
    assert.equal(quote.body.subtotalCents, 1_000);
    const address = "00000000-0000-4000-8000-000000000001";
    const byAddress = await h.call("GET", `/cart/quote?addressId=${address}`, { headers });
    assertProblem(byAddress, 404, "not_found");
    const unknown = await h.call("GET", "/cart/quote?country=US", {
      headers: guest("tok-unknown"),
    });
    assertProblem(unknown, 404, "cart_not_found");
    assertProblem(await h.call("GET", "/cart/quote?country=US"), 401, "unauthenticated");
    const noOne = await h.call("GET", "/cart/shipping-options?country=US");
    assertProblem(noOne, 401, "unauthenticated");
  });

  await t.step("503 while the cart store is down, for guests too", async () => {
    const { cartToken } = await start();
    h.memory.outages.redis.down = true;
    try {
      const read = await h.call("GET", "/cart", { headers: guest(cartToken) });
      assertProblem(read, 503, "dependency_unavailable");
      const add = await h.call("POST", "/cart/items", { body: { sku: "GUEST-A", qty: 1 } });
      assertProblem(add, 503, "dependency_unavailable");
    } finally {
      h.memory.outages.redis.down = false;
    }
  });
});

Deno.test("cart versions: ETag and If-Match", async (t) => {
  const { h, start, guest } = await shop();
  const { token } = await h.register();

  await t.step("every cart answer carries the version as a strong ETag", async () => {
    const empty = await h.call("GET", "/cart", { token });
    assert.equal(empty.headers.get("etag"), '"0"');
    const added = await h.call("POST", "/cart/items", {
      token,
      body: { sku: "GUEST-A", qty: 1 },
    });
    assert.equal(added.headers.get("etag"), '"1"');
    const read = await h.call("GET", "/cart", { token });
    assert.equal(read.headers.get("etag"), '"1"');
  });

  await t.step("a write at the current ETag applies and moves it", async () => {
    const etag = (await h.call("GET", "/cart", { token })).headers.get("etag")!;
    const res = await h.call("PUT", "/cart/items/GUEST-A", {
      token,
      headers: { "If-Match": etag },
      body: { qty: 2 },
    });
    assert.equal(res.status, 200, res.text);
    assert.notEqual(res.headers.get("etag"), etag);
    const star = await h.call("PUT", "/cart/items/GUEST-A", {
      token,
      headers: { "If-Match": "*" },
      body: { qty: 3 },
    });
    assert.equal(star.status, 200, "* matches any version");
  });

  await t.step(
    "two devices: the second write on an old ETag is 412 with the current cart",
    async () => {
      const etag = (await h.call("GET", "/cart", { token })).headers.get("etag")!;
      const first = await h.call("PUT", "/cart/items/GUEST-A", {
        token,
        headers: { "If-Match": etag },
        body: { qty: 1 },
      });
      assert.equal(first.status, 200);
      const writes: [string, string, unknown][] = [
        ["PUT", "/cart/items/GUEST-A", { qty: 4 }],
        ["POST", "/cart/items", { sku: "GUEST-B", qty: 1 }],
        ["DELETE", "/cart/items/GUEST-A", undefined],
        ["DELETE", "/cart/items/NOT-IN-CART", undefined],
        ["DELETE", "/cart", undefined],
      ];
      for (const [method, path, body] of writes) {
        const res = await h.call(method, path, { token, headers: { "If-Match": etag }, body });
        assertProblem(res, 412, "precondition_failed");
        assert.equal(res.headers.get("etag"), first.headers.get("etag"), `${method} ${path}`);
        assert.deepEqual(res.body.cart, first.body, `${method} ${path}: the current cart`);
      }
      assert.deepEqual((await h.call("GET", "/cart", { token })).body, first.body);
    },
  );

  await t.step("a weak or foreign tag never matches; a malformed one is 400", async () => {
    const etag = (await h.call("GET", "/cart", { token })).headers.get("etag")!;
    for (const tag of [`W/${etag}`, '"abc"', '"99999999999999999999"']) {
      const res = await h.call("PUT", "/cart/items/GUEST-A", {
        token,
        headers: { "If-Match": tag },
        body: { qty: 2 },
      });
      assertProblem(res, 412, "precondition_failed");
    }
    for (const tag of ["abc", `${etag}, "7"`, '"a b"']) {
      const res = await h.call("DELETE", "/cart", { token, headers: { "If-Match": tag } });
      assert.deepEqual(invalidFields(res), ["If-Match"], tag);
    }
  });

  await t.step("guest carts honour If-Match too", async () => {
    const { cartToken, etag } = await start();
    const moved = await h.call("POST", "/cart/items", {
      headers: guest(cartToken, { "If-Match": etag }),
      body: { sku: "GUEST-A", qty: 1 },
    });
    assert.equal(moved.status, 200, moved.text);
    const stale = await h.call("PUT", "/cart/items/GUEST-A", {
      headers: guest(cartToken, { "If-Match": etag }),
      body: { qty: 5 },
    });
    assertProblem(stale, 412, "precondition_failed");
    assert.equal(stale.body.cart.items[0].qty, 2);
  });

  await t.step("without If-Match concurrent adds all land (per-line atomic)", async () => {
    const other = await h.register();
    await Promise.all(Array.from({ length: 5 }, () =>
      h.call("POST", "/cart/items", {
        token: other.token,
        body: { sku: "GUEST-A", qty: 1 },
      })));
    const read = await h.call("GET", "/cart", { token: other.token });
    assert.equal(read.body.items[0].qty, 5);
  });
});
