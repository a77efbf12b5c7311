/**
 * Issue-12 proof on the real servers: a paid order reaches the support `orders` index in
 * Elasticsearch through the PostgreSQL outbox (no dual write) and is found by a misspelt
 * customer name, its SKU and its payment reference within the sync's lag; later changes
 * follow; the reindex job rebuilds the index from PostgreSQL alone.
 */
import assert from "node:assert/strict";
import { deliveryTerms, openStack, type Stack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };

interface Api {
  call(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  admin: string;
  delivery: Awaited<ReturnType<typeof deliveryTerms>>;
}

async function api(stack: Stack): Promise<Api> {
  const call = async (method: string, path: string, body?: unknown, token?: string) =>
    await stack.app.request(path, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  await stack.useCases.ensureAdmin(ADMIN);
  const login = await call("POST", "/auth/login", ADMIN);
  return { call, admin: (await login.json()).token, delivery: await deliveryTerms(stack) };
}

/** A customer who buys one unit of `sku` and pays for it; answers the order and payment. */
async function paidOrder(a: Api, sku: string, displayName: string) {
  const registered = await a.call("POST", "/auth/register", {
    email: `${crypto.randomUUID()}@e2e.example`,
    password: "correct horse battery",
    displayName,
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  const { token, user } = await registered.json();
  const placed = await a.call(
    "POST",
    "/orders",
    { items: [{ sku, qty: 1 }], ...a.delivery },
    token,
  );
  assert.equal(placed.status, 201, await placed.clone().text());
  const order = await placed.json();
  const paid = await a.call(
    "POST",
    "/payments",
    { orderId: order.id, provider: "test", paymentToken: "tok_visa" },
    token,
  );
  assert.equal(paid.status, 201, await paid.clone().text());
  const { payment } = await paid.json();
  return { user, order, payment };
}

async function found(a: Api, query: string): Promise<{ id: string; status: string }[]> {
  const res = await a.call("GET", `/admin/orders/search?${query}`, undefined, a.admin);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).items;
}

/**
 * `found` while waiting: a 503 (the shared server slower than the client's 5 s timeout, e.g.
 * while it creates the index) counts as "not yet" rather than failing the wait.
 */
async function foundYet(a: Api, query: string): Promise<{ id: string; status: string }[]> {
  const res = await a.call("GET", `/admin/orders/search?${query}`, undefined, a.admin);
  if (res.status === 503) return [];
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).items;
}

async function withStack(fn: (stack: Stack, a: Api) => Promise<void>): Promise<void> {
  const stack = await openStack(urls!);
  try {
    await stack.useCases.createCategory({ slug: "lighting", name: "Lighting" });
    await stack.useCases.createProduct({
      sku: "E2E-SUP-1",
      name: "Polycart Orbit Desk Lamp",
      category: "lighting",
      brand: "Lumen",
      description: "A lamp the support team will look for.",
      images: [],
      attrs: {},
      variants: [],
      tags: [],
      priceCents: 4_900,
      stock: 20,
    });
    await fn(stack, await api(stack));
  } finally {
    await stack.close();
  }
}

Deno.test({
  name: "support order search on the real servers",
  ignore: urls === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await t.step(
      "a paid order is found by a misspelt name, its SKU and its payment reference within the lag",
      () =>
        withStack(async (stack, a) => {
          stack.startSync();
          const { order, payment, user } = await paidOrder(a, "E2E-SUP-1", "Ignatius Wolfenden");
          const ids = (items: { id: string }[]) => items.map((o) => o.id);
          const lag = await eventually(
            "the paid order found by a misspelt customer name",
            async () => ids(await foundYet(a, "q=Ignatuis%20Wolfendon")).includes(order.id),
            10_000,
          );
          assert.deepEqual(ids(await found(a, "q=e2e-sup-1")), [order.id]);
          assert.deepEqual(ids(await found(a, `q=${payment.providerRef}`)), [order.id]);
          assert.deepEqual(ids(await found(a, `q=${order.id.slice(0, 8)}`)), [order.id]);
          assert.deepEqual(ids(await found(a, `q=${encodeURIComponent(user.email)}`)), [order.id]);
          assert.deepEqual(ids(await found(a, "q=orbit%20lmap&status=confirmed")), [order.id]);

          const full = await a.call("GET", `/admin/orders/${order.id}`, undefined, a.admin);
          assert.equal(full.status, 200);
          const body = await full.json();
          assert.equal(body.customer.displayName, "Ignatius Wolfenden");
          assert.deepEqual(body.payments.map((p: { providerRef: string }) => p.providerRef), [
            payment.providerRef,
          ]);

          // A later change follows; the index never goes back to the older state.
          const shipped = await a.call("POST", `/admin/orders/${order.id}/ship`, {}, a.admin);
          assert.equal(shipped.status, 200);
          await eventually(
            "the shipped status reaches the index",
            async () => (await foundYet(a, `q=${order.id}`))[0]?.status === "shipped",
            10_000,
          );
          const status = await a.call("GET", "/admin/sync/status", undefined, a.admin);
          const sync = await status.json();
          const feed = sync.feeds.find((f: { feed: string }) => f.feed === "orders");
          assert.ok(
            feed,
            `an orders feed beside ${sync.feeds.map((f: { feed: string }) => f.feed)}`,
          );
          assert.ok(feed.checkpoint !== null);
          assert.deepEqual(sync.parked, []);
          console.log(`    paid order searchable by a misspelt name after ${Math.round(lag)} ms`);
        }),
    );

    await t.step(
      "the reindex job rebuilds the orders index from PostgreSQL alone",
      () =>
        withStack(async (stack, a) => {
          // No sync runs: only the rebuild can bring the order to the index.
          const { order } = await paidOrder(a, "E2E-SUP-1", "Philippa Quandt");
          assert.deepEqual(await foundYet(a, "q=philippa"), []);
          const started = await a.call("POST", "/admin/search/reindex", {}, a.admin);
          assert.equal(started.status, 202);
          await stack.useCases.reindexIdle();
          const job = await (await a.call("GET", "/admin/search/reindex", undefined, a.admin))
            .json();
          assert.equal(job.status, "succeeded", JSON.stringify(job));
          assert.equal(job.indexed, 2, "one product and one order");
          await eventually(
            "the order found after the rebuild",
            async () => (await foundYet(a, "q=Phillipa%20Quant")).some((o) => o.id === order.id),
            10_000,
          );
        }),
    );
  },
});
