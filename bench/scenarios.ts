/** The bench's scenarios: their ids and the titles the report gives the API side and its baseline. */

/** The scenarios in the order of issue 5's table (also the report's order). */
export const SCENARIOS = [
  "hello",
  "product",
  "browse",
  "cart",
  "checkout",
  "hot",
  "search",
  "ratelimit",
  "visibility",
  "users",
] as const;
export type ScenarioId = typeof SCENARIOS[number];

/** Each scenario's [title, baseline title], also for a scenario that failed before measuring. */
export const TITLES: Readonly<Record<ScenarioId, readonly [string, string]>> = {
  hello: ["Hono JSON hello route", "bare Deno.serve, same bytes"],
  product: ["GET /products/:sku, cache hit", "bare Deno.serve + one ioredis GET of the same bytes"],
  cart: ["POST /cart/items", "bare Deno.serve + the same Redis and PostgreSQL commands"],
  checkout: [
    "checkout (POST /orders, explicit items) over 1,000 SKUs",
    "pgbench, the adapter's SQL",
  ],
  hot: ["checkout on one hot SKU", "pgbench, same SQL, one SKU"],
  search: [
    "GET /search with facets, typo tolerance",
    "Elasticsearch: plain multi_match, same fields",
  ],
  browse: [
    "GET /products browse page (cache miss)",
    "bare Deno.serve + the same MongoDB find and count",
  ],
  ratelimit: [
    "rate-limited route (GET /products/:sku, cache hit)",
    "same route, RATE_LIMIT_ENABLED=0",
  ],
  visibility: ["catalog change -> visible in search", "(absolute)"],
  users: ["10,000 users on keep-alive connections", "(absolute)"],
};
