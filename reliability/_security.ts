/**
 * Security properties, over HTTP against the real stack: object-level authorization (another
 * user's ids are 404), role checks on every admin route (403), revoked and expired tokens
 * (401) on every user route, login throttling, injection into every filter (MongoDB operators,
 * Elasticsearch query syntax) treated as data, and the size limits (413, 400).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import type { Figures } from "./_figures.ts";
import {
  type Account,
  createProduct,
  expectStatus,
  type Http,
  isProblem,
  passwords,
  register,
  type Reply,
  uniqueTag,
} from "./_http.ts";
import type { Stack } from "./_stack.ts";

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly admin: boolean;
  readonly secured: boolean;
  readonly hasBody: boolean;
}

async function operations(http: Http): Promise<Operation[]> {
  const doc = (await http.get("/openapi.json")).body;
  const out: Operation[] = [];
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      out.push({
        method: method.toUpperCase(),
        path,
        admin: op["x-required-role"] === "admin",
        secured: Array.isArray(op.security) && op.security.length > 0,
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return out;
}

function fill(path: string, ids: { order: string; sku: string }): string {
  return path.replace("{id}", ids.order).replace("{sku}", ids.sku).replace("{skuOrSlug}", ids.sku);
}

function send(http: Http, op: Operation, ids: { order: string; sku: string }, token?: string) {
  return http.send(op.method, fill(op.path, ids), {
    token,
    ...(op.hasBody ? { json: {} } : {}),
  });
}

export async function accessControl(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  const ops = await operations(http);
  const tag = uniqueTag();
  const sku = `SEC-${tag}`;
  await createProduct(http, stack.admin.token, sku, 100);
  const alice = await register(http, "alice");
  const bob = await register(http, "bob");
  const placed = await http.post("/orders", {
    token: alice.token,
    json: { ...stack.delivery, items: [{ sku, qty: 1 }] },
  });
  expectStatus(placed, 201, "alice's order");
  const order = placed.body.id;
  expectStatus(
    await http.post("/cart/items", { token: alice.token, json: { sku, qty: 2 } }),
    200,
    "alice's cart",
  );
  const ids = { order, sku };
  let checked = 0;

  // Another user's ids: always 404, never 403, and nothing changes.
  const notFound: [string, Reply][] = [
    ["GET /orders/{id}", await http.get(`/orders/${order}`, { token: bob.token })],
    ["POST /orders/{id}/cancel", await http.post(`/orders/${order}/cancel`, { token: bob.token })],
    [
      "POST /payments",
      await http.post("/payments", {
        token: bob.token,
        json: { orderId: order, provider: "test", paymentToken: "tok_visa" },
      }),
    ],
    [
      "DELETE /cart/items/{sku}",
      await http.send("DELETE", `/cart/items/${sku}`, { token: bob.token }),
    ],
  ];
  for (const [what, reply] of notFound) {
    assert.ok(isProblem(reply, 404, "not_found"), `${what} with another user's id: ${reply.text}`);
    checked++;
  }
  const bobsOrders = await http.get("/orders?size=100", { token: bob.token });
  assert.ok(!bobsOrders.body.items.some((o: { id: string }) => o.id === order));
  const bobsCart = await http.get("/cart", { token: bob.token });
  assert.deepEqual(bobsCart.body.items, []);
  const still = await http.get(`/orders/${order}`, { token: alice.token });
  assert.equal(still.body.status, "pending", "bob's attempts changed nothing");
  const alicesCart = await http.get("/cart", { token: alice.token });
  assert.equal(alicesCart.body.items[0]?.qty, 2);
  checked += 4;

  // Customer tokens on every admin route: 403; no token: 401.
  const adminOps = ops.filter((op) => op.admin);
  assert.ok(adminOps.length >= 10, `only ${adminOps.length} admin operations documented`);
  for (const op of adminOps) {
    const customer = await send(http, op, ids, alice.token);
    assert.ok(isProblem(customer, 403, "forbidden"), `${op.method} ${op.path}: ${customer.text}`);
    const anonymous = await send(http, op, ids);
    assert.ok(isProblem(anonymous, 401), `${op.method} ${op.path} anonymous: ${anonymous.text}`);
    checked += 2;
  }

  // Every user route with no, garbage, expired and revoked tokens: 401 with WWW-Authenticate.
  const userOps = ops.filter((op) => op.secured && !op.admin);
  assert.ok(userOps.length >= 10, `only ${userOps.length} user operations documented`);
  const expired = await register(http, "expired");
  const tokenHash = await sha256(expired.token);
  const updated = await stack.sql`
    UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${tokenHash}`;
  assert.equal(updated.count, 1, "the expired session exists");
  const revoked = await register(http, "revoked");
  expectStatus(await http.post("/auth/logout", { token: revoked.token }), 204, "logout");
  const tokens: [string, string | undefined][] = [
    ["no token", undefined],
    ["garbage token", "not-a-real-token"],
    ["expired token", expired.token],
    ["revoked token", revoked.token],
  ];
  for (const op of userOps) {
    for (const [what, token] of tokens) {
      const reply = await send(http, op, ids, token);
      assert.ok(isProblem(reply, 401, "unauthenticated"), `${op.method} ${op.path}, ${what}`);
      assert.ok(reply.headers.get("www-authenticate")?.startsWith("Bearer"));
      checked++;
    }
  }
  figures.checked("security: authorization on every route", checked);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function loginThrottle(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  const victim = await register(http, "victim");
  const limit = 10; // LOGIN_RATE_LIMIT_MAX of the stack
  const attempts = await Promise.all(
    Array.from({ length: limit + 15 }, (_, i) =>
      http.post("/auth/login", {
        json: { email: victim.email, password: `wrong-password-${i}` },
      })),
  );
  const rejected = attempts.filter((r) => isProblem(r, 401, "invalid_credentials")).length;
  const throttled = attempts.filter((r) => isProblem(r, 429, "rate_limited")).length;
  assert.equal(rejected, limit, `${rejected} wrong passwords checked, limit ${limit}`);
  assert.equal(throttled, 15);
  // Throttled means throttled: the right password waits too, with Retry-After.
  const right = await http.post("/auth/login", {
    json: { email: victim.email, password: victim.password },
  });
  assert.ok(isProblem(right, 429, "rate_limited"), right.text);
  assert.ok(Number(right.headers.get("retry-after")) > 0);
  // Another account from the same address is not locked out by it.
  const other = await register(http, "bystander");
  expectStatus(
    await http.post("/auth/login", { json: { email: other.email, password: other.password } }),
    200,
    "another account logs in",
  );
  figures.checked("security: login brute force", attempts.length + 2);
}

const MONGO_VALUES = [
  '{"$ne":null}',
  '{"$gt":""}',
  '{"$regex":".*"}',
  '{"$where":"sleep(100) || true"}',
  "[$ne]=1",
  "'; return true; var x='",
  "$where",
];
const ES_QUERIES = [
  "zzqxv OR *:*",
  "zzqxv || name:*",
  "name:zzqxv",
  "zzqxv~10",
  "zzqxv^100 OR brand:*",
  "/zzq.*/",
  "zzqxv AND NOT zzqxw",
  '"zzqxv" OR "',
  "zzqxv) OR (*",
  "[* TO *] zzqxv",
  "{!lucene}zzqxv",
  "\\zzqxv\\",
  '{"match_all":{}} zzqxv',
  "zzqxv <script>alert(1)</script>",
];

export async function injection(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  let checked = 0;
  const baseline = await http.get("/products?size=1");
  expectStatus(baseline, 200, "baseline browse");
  const everything = baseline.body.total;
  const browse = async (query: string) => {
    const reply = await http.get(`/products?${query}`);
    assert.ok(reply.status < 500, `GET /products?${query}: ${reply.status} ${reply.text}`);
    checked++;
    return reply;
  };
  // Operators as values of every filter: data that matches nothing.
  for (const value of MONGO_VALUES) {
    const v = encodeURIComponent(value);
    for (const filter of ["category", "brand", "tag", "attr.color.eq", "attr.ram_gb.gte"]) {
      const reply = await browse(`${filter}=${v}`);
      if (reply.status === 200) {
        assert.equal(reply.body.total, 0, `${filter}=${value} matched ${reply.body.total}`);
      } else {
        assert.ok(isProblem(reply, 400), reply.text);
      }
    }
    for (const filter of ["minRating", "sort", "page", "size"]) {
      assert.ok(isProblem(await browse(`${filter}=${v}`), 400), `${filter}=${value}`);
    }
  }
  // Operators in parameter names: refused, or ignored (never interpreted).
  for (
    const query of [
      "category[$ne]=x",
      "brand[$gt]=",
      "tag[$regex]=.*",
      "attr.$where.eq=1",
      "attr.color.$ne=x",
      "attr.color.eq[$ne]=x",
      "attr.__proto__.eq=x",
      "attr.constructor.eq=x",
    ]
  ) {
    const reply = await browse(query);
    if (reply.status === 200) {
      assert.ok(
        reply.body.total === 0 || reply.body.total === everything,
        `${query}: ${reply.body.total} of ${everything}`,
      );
    } else assert.ok(isProblem(reply, 400), `${query}: ${reply.text}`);
  }
  // Keys and bodies carrying operators.
  const admin = stack.admin.token;
  const someone = await register(http, "injector");
  const sku = `INJ-${uniqueTag()}`;
  await createProduct(http, admin, sku, 10);
  const bodies: [string, string, string | undefined, unknown][] = [
    ["POST", "/auth/login", undefined, { email: { $ne: null }, password: { $ne: null } }],
    ["POST", "/auth/register", undefined, { email: "a@b.co", password: { $gt: "" } }],
    ["POST", "/cart/items", someone.token, { sku: { $gt: "" }, qty: 1 }],
    ["POST", "/orders", someone.token, { items: [{ sku: { $ne: null }, qty: 1 }] }],
    ["POST", "/payments", someone.token, {
      orderId: { $ne: null },
      provider: "test",
      paymentToken: "tok_visa",
    }],
    ["PATCH", `/admin/products/${sku}`, admin, { name: { $set: "x" } }],
    ["PATCH", `/admin/products/${sku}`, admin, { attrs: { $where: "1" } }],
    ["PATCH", `/admin/products/${sku}`, admin, { attrs: { "a.b": 1 } }],
    ["PATCH", `/admin/inventory/${sku}`, admin, { stock: { $inc: 5 } }],
  ];
  for (const [method, path, token, json] of bodies) {
    const reply = await http.send(method, path, { token, json });
    assert.ok(isProblem(reply, 400, "validation_failed"), `${method} ${path}: ${reply.text}`);
    checked++;
  }
  for (const key of ["%7B%22%24ne%22%3A1%7D", "%24where", "a%2F..%2F..", "%00"]) {
    const reply = await http.get(`/products/${key}`);
    assert.ok(reply.status === 400 || reply.status === 404, `/products/${key}: ${reply.status}`);
    checked++;
  }
  const unchanged = await http.get(`/products/${sku}`);
  assert.equal(unchanged.body.name, `Reliability ${sku}`, "no operator reached the catalog");

  // Elasticsearch query syntax in q and in every filter: plain text, no 5xx.
  for (const q of ES_QUERIES) {
    const reply = await http.get(`/search?q=${encodeURIComponent(q)}`);
    expectStatus(reply, 200, `search q=${q}`);
    assert.equal(reply.body.total, 0, `q=${q} matched ${reply.body.total}: query syntax ran`);
    const suggest = await http.get(`/search/autocomplete?q=${encodeURIComponent(q)}`);
    expectStatus(suggest, 200, `autocomplete q=${q}`);
    for (const filter of ["category", "brand"]) {
      const filtered = await http.get(`/search?${filter}=${encodeURIComponent(q)}`);
      expectStatus(filtered, 200, `search ${filter}=${q}`);
      assert.equal(filtered.body.total, 0, `${filter}=${q} matched`);
    }
    checked += 4;
  }
  for (const query of ["minPrice=1%20OR%201%3D1", "sort=_script", "inStock=*", "maxPrice=-1"]) {
    const reply = await http.get(`/search?${query}`);
    assert.ok(isProblem(reply, 400), `search ${query}: ${reply.text}`);
    checked++;
  }
  figures.checked("security: injection into filters and q", checked);
}

export async function limits(stack: Stack, figures: Figures): Promise<void> {
  const http = stack.http;
  let checked = 0;
  const user = await register(http, "limits");
  const big = JSON.stringify({ email: "big@reliability.test", password: "x".repeat(2 << 20) });
  passwords.add("x".repeat(2 << 20));
  const declared = await http.post("/auth/register", {
    body: big,
    headers: { "Content-Type": "application/json" },
  });
  assert.ok(isProblem(declared, 413, "payload_too_large"), declared.text.slice(0, 300));
  const chunks = new TextEncoder().encode(big);
  const streamed = await http.post("/orders", {
    token: user.token,
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < chunks.length; i += 64 * 1024) {
          controller.enqueue(chunks.subarray(i, i + 64 * 1024));
        }
        controller.close();
      },
    }),
    headers: { "Content-Type": "application/json" },
  });
  assert.ok(isProblem(streamed, 413, "payload_too_large"), streamed.text.slice(0, 300));
  const adminBig = await http.post("/admin/products", {
    token: stack.admin.token,
    body: big,
    headers: { "Content-Type": "application/json" },
  });
  assert.ok(isProblem(adminBig, 413, "payload_too_large"), adminBig.text.slice(0, 300));
  checked += 3;
  expectStatus(await http.get("/health"), 200, "alive after oversized bodies");

  const lists: [string, string | undefined][] = [
    ["/products", undefined],
    ["/search", undefined],
    ["/orders", user.token],
    ["/admin/orders", stack.admin.token],
    ["/admin/inventory", stack.admin.token],
  ];
  const bad = [
    "size=1000000",
    "size=101",
    "size=0",
    "size=-5",
    "page=-1",
    "page=0",
    "page=100000000000000000000",
    "page=1.5",
    "page=abc",
  ];
  for (const [path, token] of lists) {
    for (const query of bad) {
      const reply = await http.get(`${path}?${query}`, { token });
      assert.ok(isProblem(reply, 400, "validation_failed"), `${path}?${query}: ${reply.text}`);
      const param = query.split("=")[0];
      assert.ok(
        reply.body.errors.some((e: { path: string }) => e.path === param),
        `${path}?${query} names ${param}`,
      );
      checked++;
    }
  }
  figures.checked("security: body and page limits", checked);
}

/** Passwords, password hashes and bearer tokens never appear in a response or a log line. */
export async function noSecretsLeak(
  stack: Stack,
  figures: Figures,
  responses: readonly string[],
  accounts: readonly Account[],
  extraLogs: string,
  otherDatabases: readonly string[] = [],
): Promise<void> {
  const hashes = (await stack.sql`SELECT password_hash FROM users`).map((r) =>
    String(r.password_hash)
  );
  for (const database of otherDatabases) {
    const sql = postgres(stack.pg.urlOf(database), { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`SELECT password_hash FROM users`.catch(() => []);
      hashes.push(...rows.map((r) => String(r.password_hash)));
    } finally {
      await sql.end({ timeout: 2 });
    }
  }
  const logs = (await stack.appLogs()) + "\n" + extraLogs;
  const secrets = [
    ...[...passwords].filter((p) => p.length >= 8).map((p) => ["password", p] as const),
    ["password", stack.adminPassword] as const,
    ...hashes.map((h) => ["password hash", h] as const),
  ];
  const leaks: string[] = [];
  for (const [what, secret] of secrets) {
    const probe = secret.length > 4096 ? secret.slice(0, 4096) : secret;
    if (logs.includes(probe)) leaks.push(`${what} ${probe.slice(0, 12)}... in the logs`);
    if (responses.some((text) => text.includes(probe))) {
      leaks.push(`${what} ${probe.slice(0, 12)}... in a response`);
    }
  }
  // The stored form is recognisable even for passwords the fuzzer made up.
  if (/scrypt\$\d+\$/.test(logs)) leaks.push("a scrypt hash in the logs");
  if (responses.some((text) => /scrypt\$\d+\$/.test(text))) {
    leaks.push("a scrypt hash in a response");
  }
  // Tokens are answered by register and login, but never logged.
  for (const account of accounts) {
    if (logs.includes(account.token)) leaks.push(`bearer token of ${account.email} in the logs`);
  }
  assert.deepEqual(leaks, []);
  const lines = logs.split("\n").length;
  figures.checked(
    "security: responses and log lines searched for secrets",
    responses.length + lines,
  );
  figures.note(
    `no secret in ${responses.length} responses or ${lines} log lines ` +
      `(${secrets.length} passwords and hashes, ${accounts.length} tokens)`,
  );
}
