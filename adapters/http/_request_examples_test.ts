import assert from "node:assert/strict";
import { harness } from "./_harness_test.ts";
import { REQUEST_EXAMPLES } from "./_request_examples.ts";

function body(route: string, name: string): unknown {
  const example = REQUEST_EXAMPLES[route]?.[name];
  assert.ok(example, `no example ${name} for ${route}`);
  return example.value;
}

Deno.test("the reference's request examples work, in order, on the seeded store", async (t) => {
  const h = await harness({ seed: true });
  let token = "";

  await t.step("register, then log in with the same example account", async () => {
    const registered = await h.call("POST", "/auth/register", {
      body: body("POST /auth/register", "customer"),
    });
    assert.equal(registered.status, 201, registered.text);
    const login = await h.call("POST", "/auth/login", {
      body: body("POST /auth/login", "customer"),
    });
    assert.equal(login.status, 200, login.text);
    token = login.body.token;
  });

  await t.step("fill the cart, change the line, order it", async () => {
    const add = await h.call("POST", "/cart/items", {
      token,
      body: body("POST /cart/items", "laptop"),
    });
    assert.ok(add.status < 300, add.text);
    const set = await h.call("PUT", "/cart/items/LAP-001-32-1024", {
      token,
      body: body("PUT /cart/items/:sku", "two"),
    });
    assert.ok(set.status < 300, set.text);
    for (const name of ["items", "cart"]) {
      const order = await h.call("POST", "/orders", { token, body: body("POST /orders", name) });
      assert.equal(order.status, 201, `${name}: ${order.text}`);
    }
  });

  await t.step("a guest cart, merged into the account made with its token", async () => {
    const started = await h.call("POST", "/cart/items", {
      body: body("POST /cart/items", "guest"),
    });
    assert.equal(started.status, 200, started.text);
    const cartToken = started.headers.get("x-cart-token");
    assert.ok(cartToken);
    const registered = await h.call("POST", "/auth/register", {
      headers: { "X-Cart-Token": cartToken },
      body: body("POST /auth/register", "guest"),
    });
    assert.equal(registered.status, 201, registered.text);
    assert.equal(registered.body.cartMerge.result, "merged", registered.text);
  });

  await t.step("the admin examples create, change and restock products", async () => {
    const admin = await h.admin();
    for (const name of ["laptop", "draft"]) {
      const created = await h.call("POST", "/admin/products", {
        token: admin,
        body: body("POST /admin/products", name),
      });
      assert.equal(created.status, 201, `${name}: ${created.text}`);
    }
    for (const name of Object.keys(REQUEST_EXAMPLES["PATCH /admin/products/:sku"])) {
      const res = await h.call("PATCH", "/admin/products/LAP-900", {
        token: admin,
        body: body("PATCH /admin/products/:sku", name),
      });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
    const west = await h.call("POST", "/admin/warehouses", {
      token: admin,
      body: body("POST /admin/warehouses", "west"),
    });
    assert.equal(west.status, 201, west.text);
    for (const name of Object.keys(REQUEST_EXAMPLES["PATCH /admin/warehouses/:code"])) {
      const res = await h.call("PATCH", "/admin/warehouses/east", {
        token: admin,
        body: body("PATCH /admin/warehouses/:code", name),
      });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
    for (const name of Object.keys(REQUEST_EXAMPLES["PATCH /admin/inventory/:sku"])) {
      const res = await h.call("PATCH", "/admin/inventory/LAP-900", {
        token: admin,
        body: body("PATCH /admin/inventory/:sku", name),
      });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
  });

  await t.step("the category examples create, rename, move and redefine categories", async () => {
    const admin = await h.admin();
    for (const name of ["child", "root"]) {
      const created = await h.call("POST", "/admin/categories", {
        token: admin,
        body: body("POST /admin/categories", name),
      });
      assert.equal(created.status, 201, `${name}: ${created.text}`);
    }
    for (const name of Object.keys(REQUEST_EXAMPLES["PATCH /admin/categories/:slug"])) {
      const res = await h.call("PATCH", "/admin/categories/gaming-laptops", {
        token: admin,
        body: body("PATCH /admin/categories/:slug", name),
      });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
  });

  await t.step("the address, shipping and tax examples", async () => {
    const created = await h.call("POST", "/me/addresses", {
      token,
      body: body("POST /me/addresses", "home"),
    });
    assert.equal(created.status, 201, created.text);
    for (const name of Object.keys(REQUEST_EXAMPLES["PATCH /me/addresses/:id"])) {
      const res = await h.call("PATCH", `/me/addresses/${created.body.id}`, {
        token,
        body: body("PATCH /me/addresses/:id", name),
      });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
    const admin = await h.admin();
    const writes: [string, string, string][] = [
      ["POST", "/admin/shipping/zones", "POST /admin/shipping/zones"],
      ["PATCH", "/admin/shipping/zones/zone-eu", "PATCH /admin/shipping/zones/:id"],
      ["POST", "/admin/shipping/options", "POST /admin/shipping/options"],
      ["PATCH", "/admin/shipping/options/ship-us-standard", "PATCH /admin/shipping/options/:id"],
      ["POST", "/admin/tax/rates", "POST /admin/tax/rates"],
      ["PATCH", "/admin/tax/rates/tax-us-ca", "PATCH /admin/tax/rates/:id"],
    ];
    for (const [method, path, route] of writes) {
      for (const name of Object.keys(REQUEST_EXAMPLES[route])) {
        const res = await h.call(method, path, { token: admin, body: body(route, name) });
        assert.ok(res.status === 200 || res.status === 201, `${route} ${name}: ${res.text}`);
      }
    }
  });
});
