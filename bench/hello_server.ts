/**
 * Bench-only servers (never part of the product API): `hono` serves GET /hello as a Hono JSON
 * route; `bare` answers every request with the same bytes and content type from a bare
 * `Deno.serve` handler. Usage: deno run --allow-net bench/hello_server.ts <hono|bare> <port>
 */
import { Hono } from "hono";

export const HELLO = { message: "hello, world" } as const;
const BYTES = new TextEncoder().encode(JSON.stringify(HELLO));

export function honoHello(): Hono {
  return new Hono().get("/hello", (c) => c.json(HELLO));
}

export function bareHello(): (request: Request) => Response {
  return () => new Response(BYTES, { headers: { "content-type": "application/json" } });
}

if (import.meta.main) {
  const [mode, port] = Deno.args;
  if (mode !== "hono" && mode !== "bare") {
    throw new Error("usage: hello_server.ts <hono|bare> <port>");
  }
  const handler = mode === "hono" ? honoHello().fetch : bareHello();
  Deno.serve(
    { hostname: "127.0.0.1", port: Number(port), onListen: () => {} },
    handler,
  );
}
