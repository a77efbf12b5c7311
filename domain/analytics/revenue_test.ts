import assert from "node:assert/strict";
import { dayKey, periodOf } from "./revenue.ts";

Deno.test("periodOf() labels UTC days, ISO weeks (Monday) and months", () => {
  const saturday = new Date("2026-11-21T23:59:59Z");
  assert.equal(periodOf(saturday, "day"), "2026-11-21");
  assert.equal(periodOf(saturday, "week"), "2026-11-16");
  assert.equal(periodOf(new Date("2026-11-16T00:00:00Z"), "week"), "2026-11-16");
  assert.equal(periodOf(new Date("2026-11-22T12:00:00Z"), "week"), "2026-11-16");
  assert.equal(periodOf(new Date("2027-01-01T00:00:00Z"), "week"), "2026-12-28");
  assert.equal(periodOf(saturday, "month"), "2026-11");
  assert.equal(dayKey(saturday), "2026-11-21");
});
