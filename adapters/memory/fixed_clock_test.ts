import assert from "node:assert/strict";
import { FixedClock, SequentialIds } from "./fixed_clock.ts";

Deno.test("FixedClock", async (t) => {
  await t.step("stands still until advanced or set", () => {
    const clock = new FixedClock(new Date("2025-03-01T00:00:00Z"));
    assert.equal(clock.now().toISOString(), "2025-03-01T00:00:00.000Z");
    clock.now().setFullYear(2000); // callers cannot move it by mutating the result
    assert.equal(clock.advance(1500).toISOString(), "2025-03-01T00:00:01.500Z");
    clock.set(new Date("2026-01-01T00:00:00Z"));
    assert.equal(clock.now().toISOString(), "2026-01-01T00:00:00.000Z");
  });
});

Deno.test("SequentialIds", async (t) => {
  await t.step("hands out UUID-shaped ids and numbered tokens in order", () => {
    const ids = new SequentialIds();
    assert.equal(ids.id(), "00000000-0000-4000-8000-000000000001");
    assert.equal(ids.id(), "00000000-0000-4000-8000-000000000002");
    assert.equal(ids.token(), "tok-000001");
    assert.equal(new SequentialIds("ab").id(), "000000ab-0000-4000-8000-000000000001");
  });
});
