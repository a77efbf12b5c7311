/** A purchase across two warehouses through the public API, on the seeded store. */
import assert from "node:assert/strict";
import { harness } from "./_harness_test.ts";

interface Row {
  sku: string;
  warehouse: string;
  stock: number;
  reserved: number;
}

Deno.test("buying more than one warehouse holds: allocated over two, paid from exactly those rows", async (t) => {
  const h = await harness({ seed: true });
  const admin = await h.admin();
  const { token } = await h.register();
  const rows = async (sku: string): Promise<[string, number, number][]> =>
    (await h.call("GET", `/admin/inventory?sku=${sku}`, { token: admin })).body.items
      .map((r: Row) => [r.warehouse, r.stock, r.reserved]);

  // The seed keeps half of a monitor's stock in east (see seedEastStock).
  const sku = "MON-001";
  const before = await rows(sku);
  const [east, main] = [before.find((r) => r[0] === "east")!, before.find((r) => r[0] === "main")!];
  assert.ok(east && main && east[1] > 0 && main[1] > 0, JSON.stringify(before));
  const qty = main[1] + 1; // one more than main holds: east serves the rest

  await t.step("the product shows the sum over both warehouses", async () => {
    const product = await h.call("GET", `/products/${sku}`);
    assert.equal(product.body.availability.available, main[1] + east[1]);
  });

  let orderId = "";
  await t.step("the cart and order take the whole quantity; both rows hold it", async () => {
    const added = await h.call("POST", "/cart/items", { token, body: { sku, qty } });
    assert.equal(added.status < 300, true, added.text);
    const order = await h.call("POST", "/orders", { token, body: { ...await h.delivery() } });
    assert.equal(order.status, 201, order.text);
    orderId = order.body.id;
    assert.deepEqual(await rows(sku), [["east", east[1], 1], ["main", main[1], main[1]]]);
  });

  await t.step("paying deducts exactly the allocated rows", async () => {
    const paid = await h.call("POST", "/payments", {
      token,
      body: { orderId, provider: "test", paymentToken: "tok_visa" },
    });
    assert.equal(paid.status, 201, paid.text);
    assert.deepEqual(await rows(sku), [["east", east[1] - 1, 0], ["main", 0, 0]]);
    const low = await h.call("GET", "/admin/inventory?lowStock=true&warehouse=main", {
      token: admin,
    });
    assert.ok(low.body.items.some((r: Row) => r.sku === sku), "main is now out of it");
  });

  await t.step("a refund restocks each row it came from", async () => {
    const refunded = await h.call("POST", `/admin/orders/${orderId}/refund`, {
      token: admin,
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    assert.equal(refunded.status, 200, refunded.text);
    assert.deepEqual(await rows(sku), [["east", east[1], 0], ["main", main[1], 0]]);
  });
});
