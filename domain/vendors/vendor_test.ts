import assert from "node:assert/strict";
import { DETAILS_LIMITS, detailsProblems, sameSummary, vendorSummary } from "./vendor.ts";

Deno.test("detailsProblems() keeps any JSON within the limits and names what breaks them", async (t) => {
  await t.step("nested objects, arrays, numbers, booleans and null are fine", () => {
    assert.deepEqual(
      detailsProblems({
        appellation: "Mosel",
        vineyards: [{ name: "Sonnenuhr", hectares: 2.5, organic: true, notes: null }],
      }),
      [],
    );
  });

  await t.step("keys MongoDB would read as operators or paths are refused", () => {
    assert.deepEqual(
      detailsProblems({ $set: 1, ok: { "a.b": 2, "": 3, "x\u0000": 4 } }).map((p) => p.path),
      ["details.$set", "details.ok.a.b", "details.ok.", "details.ok.x\u0000"],
    );
  });

  await t.step("too deep, too many keys, too large", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < DETAILS_LIMITS.maxDepth; i++) deep = { d: deep };
    assert.equal(detailsProblems(deep as never).length, 1);
    const many = Object.fromEntries(
      Array.from({ length: DETAILS_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    assert.match(detailsProblems(many)[0].message, /at most 200 keys/);
    const big = { blob: "x".repeat(DETAILS_LIMITS.maxBytes) };
    assert.match(detailsProblems(big)[0].message, /at most 16384 bytes/);
  });
});

Deno.test("vendorSummary() is what products copy; sameSummary() compares copies", () => {
  const summary = vendorSummary({ id: "v1", slug: "acme", businessName: "Acme" });
  assert.deepEqual(summary, { id: "v1", slug: "acme", name: "Acme" });
  assert.equal(sameSummary(summary, { ...summary }), true);
  assert.equal(sameSummary(summary, { ...summary, name: "Acme Ltd" }), false);
  assert.equal(sameSummary(undefined, undefined), true);
  assert.equal(sameSummary(summary, undefined), false);
});
