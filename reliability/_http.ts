/**
 * The suite talks to the API over HTTP only. Every response body is kept (bounded) so the
 * last step can prove that no password or password hash was ever sent back.
 */

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

export interface RequestOptions {
  readonly token?: string;
  readonly json?: unknown;
  readonly body?: BodyInit;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** Response bodies seen by the suite, for the secrets check (at most `maxBytes`). */
export class ResponseLog {
  readonly texts: string[] = [];
  #bytes = 0;
  count = 0;

  constructor(readonly maxBytes = 256 * 1024 * 1024) {}

  add(text: string): void {
    this.count++;
    if (this.#bytes + text.length > this.maxBytes) return;
    this.#bytes += text.length;
    this.texts.push(text);
  }
}

export const responses = new ResponseLog();

function parse(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class Http {
  constructor(readonly base: string) {}

  /** One request; rejects on network errors and timeouts (an "unknown" outcome). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    responses.add(text);
    return { status: response.status, headers: response.headers, text, body: parse(text) };
  }

  get(path: string, options?: RequestOptions): Promise<Reply> {
    return this.send("GET", path, options);
  }

  post(path: string, options?: RequestOptions): Promise<Reply> {
    return this.send("POST", path, options);
  }
}

/** A customer (or the admin) with its credentials, as the API knows it. */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

/** Every password the suite ever used, for the secrets check. */
export const passwords = new Set<string>();
/** Every account the suite registered or logged in (their tokens must never be logged). */
export const accounts: Account[] = [];

export function randomPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return `pw-${btoa(String.fromCharCode(...bytes)).replace(/[^A-Za-z0-9]/g, "x")}`;
}

export async function register(http: Http, label: string): Promise<Account> {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@reliability.test`;
  const password = randomPassword();
  passwords.add(password);
  const reply = await http.post("/auth/register", {
    json: { email, password, displayName: label },
  });
  if (reply.status !== 201) throw new Error(`register ${email}: ${reply.status} ${reply.text}`);
  const account = { id: reply.body.user.id, email, password, token: reply.body.token };
  accounts.push(account);
  return account;
}

export async function login(http: Http, email: string, password: string): Promise<Account> {
  passwords.add(password);
  const reply = await http.post("/auth/login", { json: { email, password } });
  if (reply.status !== 200) throw new Error(`login ${email}: ${reply.status} ${reply.text}`);
  const account = { id: reply.body.user.id, email, password, token: reply.body.token };
  accounts.push(account);
  return account;
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(reply: Reply, status: number | number[], what: string): void {
  const allowed = Array.isArray(status) ? status : [status];
  if (!allowed.includes(reply.status)) {
    throw new Error(`${what}: expected ${allowed.join("/")}, got ${reply.status} ${reply.text}`);
  }
}

/** True for an RFC 9457 problem with this status (and, when given, this problem code). */
export function isProblem(reply: Reply, status: number, code?: string): boolean {
  const type = reply.headers.get("content-type") ?? "";
  return reply.status === status && type.startsWith("application/problem+json") &&
    reply.body?.status === status && (code === undefined || reply.body?.type?.endsWith(code));
}

/** Creates a root category without attribute definitions (an existing one is fine). */
export async function createCategory(http: Http, adminToken: string, slug: string): Promise<void> {
  const reply = await http.post("/admin/categories", {
    token: adminToken,
    json: { slug, name: slug[0].toUpperCase() + slug.slice(1) },
  });
  if (isProblem(reply, 409, "already_exists")) return;
  expectStatus(reply, 201, `create category ${slug}`);
}

/** Creates a product (catalog content, price and stock) through the admin API. */
export async function createProduct(
  http: Http,
  adminToken: string,
  sku: string,
  stock: number,
  extra: Record<string, unknown> = {},
): Promise<Reply> {
  const reply = await http.post("/admin/products", {
    token: adminToken,
    json: {
      sku,
      name: `Reliability ${sku}`,
      category: "reliability",
      brand: "Polycart",
      description: "A product made by the reliability suite.",
      priceCents: 1_000 + Math.floor(Math.random() * 40_000),
      stock,
      tags: ["reliability"],
      ...extra,
    },
  });
  expectStatus(reply, 201, `create ${sku}`);
  return reply;
}

/** What every POST /orders of the suite sends besides its lines. */
export interface Delivery {
  readonly shippingAddress: Readonly<Record<string, string>>;
  readonly shippingOptionId: string;
}

/**
 * A shipping zone for the US and a flat option in it, through the admin API, and the terms
 * orders placed on that database send: a US address (no tax in a fresh database) and the option.
 */
export async function createShipping(http: Http, adminToken: string): Promise<Delivery> {
  const zone = await http.post("/admin/shipping/zones", {
    token: adminToken,
    json: { name: "Reliability", countries: ["US"] },
  });
  expectStatus(zone, 201, "create shipping zone");
  const option = await http.post("/admin/shipping/options", {
    token: adminToken,
    json: {
      zoneId: zone.body.id,
      name: "Reliability standard",
      priceCents: 500,
      currency: "USD",
      estimatedDays: { min: 1, max: 3 },
    },
  });
  expectStatus(option, 201, "create shipping option");
  return {
    shippingAddress: {
      name: "Reliability Customer",
      line1: "1 Main Street",
      city: "Springfield",
      postalCode: "12345",
      country: "US",
    },
    shippingOptionId: option.body.id,
  };
}

/** A short unique suffix for SKUs and names of one scenario. */
export function uniqueTag(): string {
  return crypto.randomUUID().slice(0, 6).toUpperCase();
}
