import assert from "node:assert/strict";
import { dayKey, periodOf, revenueWindow } from "./revenue.ts";

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

Deno.test("revenueWindow() defaults to the last 30 days up to now", () => {
  const now = new Date("2026-12-01T08:00:00Z");
  const from = new Date("2026-11-01T08:00:00Z");
  assert.deepEqual(revenueWindow({ groupBy: "day" }, now), { from, to: now, groupBy: "day" });
  const to = new Date("2026-11-10T00:00:00Z");
  assert.deepEqual(revenueWindow({ to, groupBy: "week" }, now), {
    from: new Date("2026-10-11T00:00:00Z"),
    to,
    groupBy: "week",
  });
  assert.deepEqual(revenueWindow({ from, groupBy: "day" }, now), { from, to: now, groupBy: "day" });
  const later = new Date("2027-01-01T00:00:00Z");
  assert.deepEqual(revenueWindow({ from: later, groupBy: "day" }, now), {
    from: later,
    to: later,
    groupBy: "day",
  });
});
