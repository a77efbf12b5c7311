/**
 * Bench-only baseline servers (never part of the product API): a bare `Deno.serve` doing
 * only the store work of a route, so a scenario can compare the API with its own stack's
 * limit.
 * - `redis-get <port> <redisUrl> <keyPrefix>`: GET /products/<sku> answers the bytes at
 *   `<keyPrefix><sku>` with one ioredis GET (the bench stores the API's own answers there).
 * - `mongo-find <port> <mongoUrl> <db>`: GET /products?category=&sort=&page=&size= runs the
 *   catalog adapter's browse `find` (same filter, sort, skip, limit) and its count with the
 *   MongoDB driver, and answers the documents as JSON.
 * Usage: deno run --allow-net --allow-env --allow-read --allow-sys bench/baseline_server.ts <mode> ...
 */
import { Redis } from "ioredis";
import { MongoClient } from "mongodb";
import { productFilter, SORTS } from "../adapters/mongo/catalog.ts";
import type { ProductSort } from "../domain/catalog/product.ts";

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
  } else {
    throw new Error("usage: baseline_server.ts <redis-get|mongo-find> <port> <url> <prefix|db>");
  }
  Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen: () => {} }, handler);
}
