import assert from "node:assert/strict";
import { errorKinds } from "./users_scenario.ts";

Deno.test("errorKinds() sums each kind of failure over the routes, most first", () => {
  const route = (errorKinds: Record<string, number> | null) => ({
    ok: 1,
    errors: 0,
    errorKinds,
    p50: 1,
    p95: 1,
    p99: 1,
    max: 1,
  });
  const kinds = errorKinds({
    routes: {
      "GET /search": route({ "503 overloaded": 3 }),
      "POST /orders": route({ timeout: 2, "503 overloaded": 4 }),
      "POST /cart/items": route({ "503 dependency_unavailable": 1, timeout: 1 }),
      "GET /products/:sku": route(null),
    },
  });
  assert.deepEqual(Object.entries(kinds), [
    ["503 overloaded", 7],
    ["timeout", 3],
    ["503 dependency_unavailable", 1],
  ]);
});
