/**
 * The hello scenario: the Hono JSON hello route against a bare `Deno.serve` answering the same
 * bytes (bench/hello_server.ts), both on the server core: what the framework costs. Target >= 0.85x.
 */
import { type Ctx, noFailures, scenario } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import { helloSpec } from "./_requests.ts";
import { startHello, withProc } from "./_servers.ts";
import type { ScenarioResult } from "./result.ts";
import { atLeast, ratio } from "./stats.ts";

export async function helloScenario(ctx: Ctx): Promise<ScenarioResult> {
  const { s } = ctx;
  const bytes: Record<string, string> = {};
  const measure = async (mode: "hono" | "bare", label: string) =>
    await withProc(startHello(s, mode), async (p) => {
      const res = await fetch(`http://127.0.0.1:${s.helloPort}/hello`);
      bytes[mode] = `${res.headers.get("content-type")} ${await res.text()}`;
      return (await measureHttp(ctx, helloSpec(s), label, p, [])).side;
    });
  const baseline = await measure("bare", "bare Deno.serve");
  const api = await measure("hono", "Hono hello route");
  const r = ratio(api.throughput, baseline.throughput);
  return scenario(
    "hello",
    api,
    baseline,
    [atLeast("ratio", r, 0.85), noFailures("API", api)],
    {
      "same content type and body": bytes.hono === bytes.bare,
      body: bytes.hono,
    },
  );
}
