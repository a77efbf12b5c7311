import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const SUPPORT_ROUTES = [
  "/admin/orders/search?q=anything",
  "/admin/orders/o-1",
  "/admin/users?q=a",
];

/** A customer with a paid order of one seeded SKU, synced into the order index. */
async function paidOrder(h: Awaited<ReturnType<typeof harness>>, email: string) {
  const customer = await h.register(email);
  const placed = await h.call("POST", "/orders", {
    token: customer.token,
    body: { items: [{ sku: "BOK-010", qty: 2 }], ...(await h.delivery()) },
  });
  assert.equal(placed.status, 201, placed.text);
  const paid = await h.call("POST", "/payments", {
    token: customer.token,
    body: { orderId: placed.body.id, provider: "test", paymentToken: "tok_visa" },
  });
  assert.equal(paid.status, 201, paid.text);
  await h.memory.syncAll();
  return { customer, orderId: placed.body.id as string, ref: paid.body.payment.providerRef };
}

Deno.test("support routes: 401 anonymous, 403 for customers", async (t) => {
  const h = await harness({ seed: false });
  const customer = await h.register();
  for (const path of SUPPORT_ROUTES) {
    await t.step(`GET ${path}`, async () => {
      assertProblem(await h.call("GET", path), 401, "unauthenticated");
      assertProblem(await h.call("GET", path, { token: customer.token }), 403, "forbidden");
    });
  }
});

Deno.test("GET /admin/orders/search", async (t) => {
  const h = await harness();
  const admin = await h.admin();
  const { customer, orderId, ref } = await paidOrder(h, "rosalind@polycart.test");
  const search = (query: string) =>
    h.call("GET", `/admin/orders/search?${query}`, { token: admin });

  await t.step("finds the order by misspelt name, SKU, payment ref, email and id", async () => {
    // The harness registers display names from the email's local part.
    for (const q of ["Rosalnd", "bok-010", ref, customer.email, orderId.slice(0, 6)]) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.items.map((o: { id: string }) => o.id), [orderId], `q=${q}`);
    }
    const [hit] = (await search(`q=${ref}`)).body.items;
    assert.equal(hit.status, "confirmed");
    assert.equal(hit.customer.email, customer.email);
    assert.deepEqual(hit.skus, ["BOK-010"]);
    assert.equal(hit.payments[0].providerRef, ref);
    assert.equal(typeof hit.totals.totalCents, "number");
  });

  await t.step("status and dates narrow; a page says its total", async () => {
    const now = h.clock.now();
    const day = 24 * 3_600_000;
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const inRange = await search(
      `status=confirmed&from=${encodeURIComponent(iso(-day))}&to=${encodeURIComponent(iso(day))}`,
    );
    assert.deepEqual([inRange.body.total, inRange.body.page, inRange.body.size], [1, 1, 20]);
    assert.equal((await search("status=pending")).body.total, 0);
    assert.equal((await search(`from=${iso(day).slice(0, 10)}`)).body.total, 0);
  });

  await t.step(
    "bad dates, a reversed range, bad paging and unknown parameters are 400",
    async () => {
      assert.deepEqual(invalidFields(await search("from=yesterday")), ["from"]);
      assert.deepEqual(invalidFields(await search("to=2026-13-45")), ["to"]);
      assert.deepEqual(invalidFields(await search("from=2026-02-01&to=2026-01-01")), ["from"]);
      assert.deepEqual(invalidFields(await search("status=lost")), ["status"]);
      assert.deepEqual(invalidFields(await search("size=0")), ["size"]);
      assert.deepEqual(invalidFields(await search("q=%00")), ["q"]);
      assertProblem(await search("email=a@b.c"), 400, "validation_failed");
    },
  );

  await t.step("query syntax is data: 200 and nothing found", async () => {
    for (const q of ['"', "*", "a OR b", "{}", "\\", "(", "/.*/"]) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, `q=${q}: ${res.text}`);
      assert.equal(res.body.total, 0, `q=${q}`);
    }
  });

  await t.step("the index being down is 503", async () => {
    h.memory.outages.elasticsearch.down = true;
    try {
      assertProblem(await search("q=x"), 503, "dependency_unavailable");
    } finally {
      h.memory.outages.elasticsearch.down = false;
    }
  });
});

Deno.test("GET /admin/orders/:id answers the order with its payments and customer", async (t) => {
  const h = await harness();
  const admin = await h.admin();
  const { customer, orderId, ref } = await paidOrder(h, "barbara.liskov@polycart.test");

  await t.step("the full order", async () => {
    const res = await h.call("GET", `/admin/orders/${orderId}`, { token: admin });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, orderId);
    assert.equal(res.body.userId, customer.userId);
    assert.deepEqual(res.body.customer, {
      id: customer.userId,
      email: customer.email,
      displayName: "barbara.liskov",
    });
    assert.deepEqual(
      res.body.payments.map((
        p: { providerRef: string; status: string },
      ) => [p.providerRef, p.status]),
      [[ref, "succeeded"]],
    );
    assert.equal(res.body.items[0].sku, "BOK-010");
  });

  await t.step("an unknown order is 404, a malformed id 400", async () => {
    assertProblem(
      await h.call("GET", "/admin/orders/no-such-order", { token: admin }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("GET", "/admin/orders/a%20b", { token: admin }),
      400,
      "validation_failed",
    );
  });
});

Deno.test("GET /admin/users finds customers by email or name, paged", async () => {
  const h = await harness({ seed: false });
  const admin = await h.admin();
  await h.register("edsger.dijkstra@polycart.test");
  await h.register("tony.hoare@polycart.test");
  const find = (query: string) => h.call("GET", `/admin/users?${query}`, { token: admin });
  const emails = (res: { body: { items: { email: string }[] } }) =>
    res.body.items.map((u) => u.email);
  assert.deepEqual(emails(await find("q=EDSGER")), ["edsger.dijkstra@polycart.test"]);
  assert.deepEqual(emails(await find("q=hoare")), ["tony.hoare@polycart.test"]);
  assert.deepEqual(emails(await find("q=nobody")), []);
  const all = await find("size=1&page=2");
  assert.equal(all.status, 200);
  assert.deepEqual([all.body.total, all.body.items.length], [3, 1]); // the admin too
  assert.deepEqual(invalidFields(await find("size=101")), ["size"]);
  assert.deepEqual(invalidFields(await find("q=a%00b")), ["q"]);
  assertProblem(await find("email=x"), 400, "validation_failed");
});
