/**
 * Bench-only baseline servers (never part of the product API): a bare `Deno.serve` doing
 * only the store work of a route, so a scenario can compare the API with its own stack's
 * limit.
 * - `redis-get <port> <redisUrl> <keyPrefix>`: GET /products/<sku> answers the bytes at
 *   `<keyPrefix><sku>` with one ioredis GET (the bench stores the API's own answers there).
 * - `mongo-find <port> <mongoUrl> <db>`: GET /products?category=&sort=&page=&size= runs the
 *   catalog adapter's browse `find` (same filter, sort, skip, limit) and its count with the
 *   MongoDB driver, and answers the documents as JSON.
 * - `cart-commands <port>` (the API's environment): POST /cart/items sends what the API's add
 *   sends to the stores, through the same adapters and drivers, with no framework, no schema
 *   and no use case around them: the bearer token's session and user (PostgreSQL), the
 *   limiter (its local allowance: an EVALSHA per claimed batch), the cart read (Redis), one
 *   inventory read (PostgreSQL), the cart write (Redis MULTI); answers the lines as JSON.
 * Usage: deno run --allow-net --allow-env --allow-read --allow-sys bench/baseline_server.ts <mode> ...
 */
import { Redis } from "ioredis";
import { MongoClient } from "mongodb";
import { productFilter, SORTS } from "../adapters/mongo/catalog.ts";
import type { ProductSort } from "../domain/catalog/product.ts";
import { parseConfig } from "../config.ts";
import { buildRuntime, settingsOf } from "../composition.ts";
import { hashToken } from "../application/identity/_tokens.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import { userCart } from "../ports/cart/carts.ts";

const JSON_HEADERS = { "content-type": "application/json" };

export function redisGetHandler(redis: Redis, keyPrefix: string) {
  return async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const sku = path.slice(path.lastIndexOf("/") + 1);
    const body = await redis.get(keyPrefix + sku);
    return body === null
      ? new Response("{}", { status: 404, headers: JSON_HEADERS })
      : new Response(body, { headers: JSON_HEADERS });
  };
}

export function mongoFindHandler(client: MongoClient, db: string) {
  const products = client.db(db).collection("products");
  return async (request: Request): Promise<Response> => {
    const params = new URL(request.url).searchParams;
    const page = Number(params.get("page") ?? 1);
    const size = Number(params.get("size") ?? 20);
    const sort = (params.get("sort") ?? "rating") as ProductSort;
    const filter = productFilter({
      category: params.get("category") ?? undefined,
      attrs: [],
      sort,
      page,
      size,
      publication: { status: "published", at: new Date() },
    });
    const [items, total] = await Promise.all([
      products.find(filter as never).sort(SORTS[sort]).skip((page - 1) * size).limit(size)
        .toArray(),
      products.countDocuments(filter as never),
    ]);
    return new Response(JSON.stringify({ items, page, size, total }), { headers: JSON_HEADERS });
  };
}

export async function cartCommandsHandler(env: Record<string, string>) {
  const config = parseConfig(env);
  const runtime = await buildRuntime(config, new JsonLogger({ silent: true }));
  const { sessions, limiter, carts, inventory } = runtime.ports;
  const policy = settingsOf(config).rateLimit;
  return async (request: Request): Promise<Response> => {
    if (request.method !== "POST") return new Response("{}", { headers: JSON_HEADERS }); // probe
    const token = request.headers.get("authorization")?.replace(/^Bearer +/i, "") ?? "";
    const found = await sessions.find(await hashToken(token));
    if (!found) return new Response("{}", { status: 401, headers: JSON_HEADERS });
    await limiter.hit(`user:${found.user.id}`, policy.limit, policy.windowMs, new Date());
    const { sku, qty } = await request.json() as { sku: string; qty: number };
    const owner = userCart(found.user.id);
    const { lines } = await carts.get(owner);
    await inventory.getMany([...new Set([...Object.keys(lines), sku])]);
    const after = await carts.add(owner, sku, qty);
    return new Response(JSON.stringify({ items: after.lines }), { headers: JSON_HEADERS });
  };
}

if (import.meta.main) {
  const [mode, port, url, name] = Deno.args;
  let handler: (request: Request) => Promise<Response>;
  if (mode === "redis-get") {
    const redis = new Redis(url);
    handler = redisGetHandler(redis, name);
  } else if (mode === "mongo-find") {
    const client = new MongoClient(url);
    await client.connect();
    handler = mongoFindHandler(client, name);
  } else if (mode === "cart-commands") {
    handler = await cartCommandsHandler(Deno.env.toObject());
  } else {
    throw new Error(
      "usage: baseline_server.ts <redis-get|mongo-find|cart-commands> <port> [<url> <prefix|db>]",
    );
  }
  Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen: () => {} }, handler);
}
