/**
 * Issue 10's proof, through the public API only, on the seeded store: browse a category
 * subtree, filter by size, put variant SKUs whose stock lives in two different warehouses in
 * the cart, order from the cart, pay, and see stock move in exactly the allocated rows.
 */
import assert from "node:assert/strict";
import { harness } from "./_harness_test.ts";

interface Row {
  sku: string;
  warehouse: string;
  stock: number;
  reserved: number;
}
interface VariantView {
  sku: string;
  label: string;
  attrs: Record<string, unknown>;
  availability: { available: number };
}

Deno.test("a variant purchase across two warehouses, browse to payment", async (t) => {
  const h = await harness({ seed: true });
  await h.memory.syncAll();
  const admin = await h.admin();
  const { token } = await h.register();
  const rows = async (sku: string): Promise<Record<string, [number, number]>> => {
    const res = await h.call("GET", `/admin/inventory?sku=${sku}`, { token: admin });
    assert.equal(res.status, 200, res.text);
    return Object.fromEntries(
      res.body.items.map((r: Row) => [r.warehouse, [r.stock, r.reserved]]),
    );
  };

  let tees: string[] = [];
  await t.step("GET /products?category=apparel includes the subtree's t-shirts", async () => {
    const res = await h.call("GET", "/products?category=apparel&size=100");
    assert.equal(res.status, 200, res.text);
    const items: { sku: string; category: string; breadcrumbs: { slug: string }[] }[] =
      res.body.items;
    assert.ok(items.every((p) => p.breadcrumbs[0].slug === "apparel"));
    assert.ok(items.some((p) => p.category === "shoes"), "the whole subtree");
    tees = items.filter((p) => p.category === "t-shirts").map((p) => p.sku);
    assert.ok(tees.length >= 2, tees.join());
  });

  const picked: VariantView[] = [];
  await t.step("/search?category=apparel&attr.size=M finds t-shirts sold in M", async () => {
    const res = await h.call("GET", "/search?category=apparel&attr.size=M&inStock=true");
    assert.equal(res.status, 200, res.text);
    const hits: string[] = res.body.items.map((i: { sku: string }) => i.sku);
    assert.ok(hits.length >= 2 && hits.every((sku) => tees.includes(sku)), hits.join());
    // apparel's subtree declares size facetable (t-shirts): counted per value.
    const m = res.body.facets.attrs.size.find((f: { value: string }) => f.value === "M");
    assert.equal(m?.count, hits.length);
    for (const sku of hits) {
      const product = await h.call("GET", `/products/${sku}`);
      const variant = product.body.variants.find((v: VariantView) =>
        v.attrs.size === "M" && v.availability.available >= 2
      );
      if (variant && picked.length < 2) picked.push(variant);
    }
    assert.equal(picked.length, 2, "two t-shirts in M with stock");
  });

  const [a, b] = [() => picked[0].sku, () => picked[1].sku];
  const before: Record<string, Record<string, [number, number]>> = {};
  await t.step("the admin keeps one variant in main only and the other in east only", async () => {
    for (const [sku, empty] of [[a(), "east"], [b(), "main"]]) {
      const res = await h.call("PATCH", `/admin/inventory/${sku}`, {
        token: admin,
        body: { warehouse: empty, stock: 0 },
      });
      assert.equal(res.status, 200, res.text);
      before[sku] = await rows(sku);
    }
    assert.ok(before[a()].main[0] >= 2 && before[a()].east?.[0] === 0, JSON.stringify(before));
    assert.ok(before[b()].east[0] >= 2 && before[b()].main?.[0] === 0, JSON.stringify(before));
  });

  let orderId = "";
  await t.step("cart lines per variant SKU, then an order from the cart", async () => {
    for (const sku of [a(), b()]) {
      const added = await h.call("POST", "/cart/items", { token, body: { sku, qty: 2 } });
      assert.equal(added.status, 200, added.text);
    }
    const cart = await h.call("GET", "/cart", { token });
    const labels = Object.fromEntries(
      cart.body.items.map((i: { sku: string; variantLabel: string }) => [i.sku, i.variantLabel]),
    );
    assert.deepEqual(labels, { [a()]: picked[0].label, [b()]: picked[1].label });
    const order = await h.call("POST", "/orders", {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: await h.delivery(),
    });
    assert.equal(order.status, 201, order.text);
    orderId = order.body.id;
    // Reserved in exactly the row that holds each variant.
    assert.deepEqual(await rows(a()), { ...before[a()], main: [before[a()].main[0], 2] });
    assert.deepEqual(await rows(b()), { ...before[b()], east: [before[b()].east[0], 2] });
  });

  await t.step("paying deducts exactly the allocated rows; nothing else moves", async () => {
    const paid = await h.call("POST", "/payments", {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { orderId, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(paid.status, 201, paid.text);
    assert.equal(paid.body.order.status, "confirmed");
    assert.deepEqual(await rows(a()), { ...before[a()], main: [before[a()].main[0] - 2, 0] });
    assert.deepEqual(await rows(b()), { ...before[b()], east: [before[b()].east[0] - 2, 0] });
    const order = await h.call("GET", `/orders/${orderId}`, { token });
    assert.deepEqual(
      order.body.items.map((i: { sku: string; variantLabel: string }) => [i.sku, i.variantLabel])
        .sort(),
      [[a(), picked[0].label], [b(), picked[1].label]].sort(),
    );
    await h.memory.syncAll();
    const shown = await h.call("GET", `/products/${a()}`);
    const variant = shown.body.variants.find((v: VariantView) => v.sku === a());
    assert.equal(variant.availability.available, before[a()].main[0] - 2);
  });
});
