import assert from "node:assert/strict";
import { addLine, cartToLines, setLine } from "./cart.ts";

Deno.test("cart rules", async (t) => {
  await t.step("addLine() increments and setLine(0) removes", () => {
    const cart = addLine(addLine({}, "A", 1), "A", 2);
    assert.deepEqual(cart, { A: 3 });
    assert.deepEqual(setLine(cart, "A", 0), {});
    assert.deepEqual(cart, { A: 3 }, "the original is untouched");
  });

  await t.step("cartToLines() lists SKU and quantity", () => {
    assert.deepEqual(cartToLines({ A: 1, B: 2 }), [{ sku: "A", qty: 1 }, { sku: "B", qty: 2 }]);
  });
});
