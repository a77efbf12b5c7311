import assert from "node:assert/strict";
import { expectedDocument, type InventoryFigures } from "./_checks.ts";

const row = (version: number, price: number, stock: number, reserved = 0, active = true) =>
  ({
    version,
    unit_price_cents: String(price), // PostgreSQL bigint/numeric arrive as text
    active,
    stock: String(stock),
    reserved: String(reserved),
  }) satisfies InventoryFigures;

Deno.test("expectedDocument(): what the index check wants of one product", async (t) => {
  await t.step("without variants: its own row's version, price and stock flag", () => {
    const items = new Map([["P", row(3, 1_500, 2, 2)]]);
    assert.deepEqual(expectedDocument({ version: 4, variants: [] }, "P", items), {
      version: 7,
      priceCents: 1_500,
      inStock: false,
    });
  });

  await t.step("with variants: one document, lowest live price, in stock when any is", () => {
    const items = new Map([
      ["T", row(1, 2_000, 0, 0, false)], // the product's own row is inactive
      ["T-S", row(2, 2_100, 1, 1)], // sold out
      ["T-M", row(5, 2_400, 3, 1)],
      ["T-L", row(4, 900, 9)], // retired: not sold, not priced, still versioned
    ]);
    const variants = [{ sku: "T-S" }, { sku: "T-M", retired: false }, {
      sku: "T-L",
      retired: true,
    }];
    assert.deepEqual(expectedDocument({ version: 10, variants }, "T", items), {
      version: 10 + 1 + 2 + 5 + 4,
      priceCents: 2_100,
      inStock: true,
    });
    const soldOut = new Map([...items, ["T-M", row(6, 2_400, 1, 1)]]);
    assert.equal(expectedDocument({ version: 10, variants }, "T", soldOut).inStock, false);
  });
});
