/**
 * The cart scenario: `POST /cart/items`, one signed-in user per connection, against a bare
 * `Deno.serve` sending the same Redis and PostgreSQL commands through the same adapters
 * (bench/baseline_server.ts cart-commands). Target >= 0.6x.
 */
import { BODIES } from "./bodies.ts";
import { apiEnv, CATALOG_FIRST_SKU } from "./fixtures.ts";
import type { HttpSpec } from "./load.ts";
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import { startBaseline, withProc } from "./_servers.ts";
import type { ScenarioResult } from "./result.ts";
import { atLeast, ratio } from "./stats.ts";

export async function cartScenario(ctx: Ctx): Promise<ScenarioResult> {
  const spec: HttpSpec = {
    url: ctx.apiBase,
    method: "POST",
    paths: ["/cart/items"],
    bodies: [BODIES.cartItem],
    headers: { "content-type": "application/json" },
    tokens: ctx.users.map((u) => u.token),
    skuRange: [CATALOG_FIRST_SKU, CATALOG_FIRST_SKU + 4],
  };
  const baseline = await withProc(
    startBaseline(ctx.s, ["cart-commands"], "/cart/items", apiEnv(ctx.s)),
    async (p) =>
      (await measureHttp(
        ctx,
        { ...spec, url: `http://127.0.0.1:${ctx.s.helloPort}` },
        "bare Deno.serve + the same store commands",
        p,
        ["postgres", "redis"],
      )).side,
  );
  const { side: api } = await measureHttp(
    ctx,
    spec,
    "POST /cart/items",
    ctx.api(),
    ["postgres", "redis"],
  );
  return scenario(
    "cart",
    api,
    baseline,
    [
      atLeast("ratio", ratio(api.throughput, baseline.throughput), 0.6),
      noFailures("API", api),
      noFailures("baseline", baseline),
    ],
    { users: ctx.users.length, "SKUs per cart": 5 },
    [
      "Each connection is one signed-in user adding one unit of one of 5 SKUs per request. " +
      "The baseline (bench/baseline_server.ts cart-commands) sends the same commands through " +
      "the same adapters: session and user read (answered in-process within " +
      "SESSION_NEAR_CACHE_MS), the limiter (an EVALSHA when its allowance claims a batch), " +
      "cart read, inventory read, cart MULTI.",
    ],
  );
}
