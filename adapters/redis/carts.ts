import { CART_TTL_MS, type CartLines, GUEST_CART_TTL_MS } from "../../domain/cart/cart.ts";
import { CartNotFound, PreconditionFailed } from "../../domain/errors.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type {
  CartOwner,
  CartStore,
  MergeLine,
  VersionedCart,
  WriteCondition,
} from "../../ports/cart/carts.ts";
import { attempt, DEFAULT_PREFIX, type RedisClient } from "./_redis.ts";
import { CLAIM, CREATE, MERGE, SUBTRACT, WRITE } from "./_cart_scripts.ts";

export interface RedisCartStoreOptions {
  /**
   * Key prefix: the cart of user `u` is the hash `<prefix>cart:<u>`, a guest cart
   * `<prefix>guest-cart:<id>`.
   */
  readonly prefix?: string;
  /** Expiry of user carts, refreshed by every write. Default 30 days (`CART_TTL_MS`). */
  readonly ttlMs?: number;
  /** Expiry of guest carts, refreshed by every write. Default 7 days. */
  readonly guestTtlMs?: number;
}

/**
 * Carts as one Redis hash per cart (SKU -> quantity) plus bookkeeping fields whose names start
 * with `#` (SKUs never do): `#v` the version, `#claimed` the user who claimed a guest cart,
 * `#m:<guest>` a guest cart already merged into a user's. Every write is one Lua script on one
 * key (the version check, the change, the version bump, PEXPIRE and HGETALL together), so it is
 * atomic on a server and on a cluster alike; a merge touches the guest key and the user key in
 * two single-key steps that are safe in any interleaving (claim, then merge once per guest).
 * Throws `DependencyUnavailable("redis")` when Redis is unreachable.
 */
export class RedisCartStore implements CartStore {
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #guestTtlMs: number;

  constructor(private readonly redis: RedisClient, options: RedisCartStoreOptions = {}) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#ttlMs = options.ttlMs ?? CART_TTL_MS;
    this.#guestTtlMs = options.guestTtlMs ?? GUEST_CART_TTL_MS;
  }

  async get(owner: CartOwner): Promise<VersionedCart> {
    // Domain errors are thrown outside `attempt`, which treats any other error as an outage.
    const hash = await attempt(this.redis, () => this.redis.hgetall(this.#key(owner)));
    if (owner.kind === "guest" && (Object.keys(hash).length === 0 || "#claimed" in hash)) {
      throw new CartNotFound();
    }
    return toCart(hash);
  }

  add(owner: CartOwner, sku: string, qty: number, when?: WriteCondition) {
    assertInteger(qty);
    return this.#write(owner, when, "add", sku, qty);
  }

  set(owner: CartOwner, sku: string, qty: number, when?: WriteCondition) {
    assertInteger(qty);
    return this.#write(owner, when, "set", sku, qty);
  }

  remove(owner: CartOwner, sku: string, when?: WriteCondition) {
    return this.#write(owner, when, "del", sku, 0);
  }

  clear(owner: CartOwner, when?: WriteCondition) {
    return this.#write(owner, when, "clear", "", 0);
  }

  async subtract(owner: CartOwner, lines: readonly StockLine[]): Promise<VersionedCart> {
    for (const { qty } of lines) assertInteger(qty);
    const args = [
      this.#ttlOf(owner),
      owner.kind === "guest" ? 1 : 0,
      ...lines.flatMap(({ sku, qty }) => [sku, qty]),
    ];
    const key = this.#key(owner);
    const reply = await attempt(this.redis, () => SUBTRACT.run(this.redis, [key], args));
    if (reply === null) throw new CartNotFound();
    return toCart(pairs(reply));
  }

  async createGuest(guestId: string, sku: string, qty: number): Promise<VersionedCart> {
    assertInteger(qty);
    const key = this.#key({ kind: "guest", id: guestId });
    const args = [this.#guestTtlMs, sku, qty];
    const reply = await attempt(this.redis, () => CREATE.run(this.redis, [key], args));
    if (reply === null) throw new Error(`guest cart ${guestId} already exists`);
    return toCart(pairs(reply));
  }

  claimGuest(guestId: string, userId: string): Promise<CartLines | null> {
    const key = this.#key({ kind: "guest", id: guestId });
    return attempt(this.redis, async () => {
      const reply = await CLAIM.run(this.redis, [key], [userId]);
      return reply === null ? null : toCart(pairs(reply)).lines;
    });
  }

  mergeInto(userId: string, guestId: string, lines: readonly MergeLine[]) {
    for (const { qty, max } of lines) {
      assertInteger(qty);
      assertInteger(max);
    }
    const key = this.#key({ kind: "user", id: userId });
    const args = [this.#ttlMs, guestId, ...lines.flatMap((l) => [l.sku, l.qty, l.max])];
    return attempt(this.redis, async () => {
      const [applied, hash] = await MERGE.run(this.redis, [key], args) as [number, unknown];
      return { cart: toCart(pairs(hash)), applied: applied === 1 };
    });
  }

  discardGuest(guestId: string): Promise<void> {
    return attempt(this.redis, async () => {
      await this.redis.del(this.#key({ kind: "guest", id: guestId }));
    });
  }

  #key(owner: CartOwner): string {
    return owner.kind === "user"
      ? `${this.#prefix}cart:${owner.id}`
      : `${this.#prefix}guest-cart:${owner.id}`;
  }

  #ttlOf(owner: CartOwner): number {
    return owner.kind === "user" ? this.#ttlMs : this.#guestTtlMs;
  }

  async #write(
    owner: CartOwner,
    when: WriteCondition | undefined,
    op: "add" | "set" | "del" | "clear",
    sku: string,
    qty: number,
  ): Promise<VersionedCart> {
    const ifVersion = when?.ifVersion;
    if (ifVersion !== undefined) assertInteger(ifVersion);
    const args = [
      this.#ttlOf(owner),
      owner.kind === "guest" ? 1 : 0,
      ifVersion ?? "",
      op,
      sku,
      qty,
    ];
    const key = this.#key(owner);
    const [status, hash] = await attempt(
      this.redis,
      () => WRITE.run(this.redis, [key], args),
    ) as [string, unknown];
    if (status === "missing") throw new CartNotFound();
    const cart = toCart(pairs(hash));
    if (status === "stale") throw new PreconditionFailed("cart", cart.version, cart);
    return cart;
  }
}

function assertInteger(qty: number): void {
  if (!Number.isSafeInteger(qty)) throw new RangeError(`quantity must be an integer, got ${qty}`);
}

function pairs(flat: unknown): Record<string, string> {
  const list = Array.isArray(flat) ? flat.map(String) : [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]] = list[i + 1];
  return out;
}

/** Hash fields to a cart: positive integer quantities of SKUs, and the `#v` version. */
function toCart(hash: Record<string, string>): VersionedCart {
  const lines: Record<string, number> = {};
  for (const [sku, raw] of Object.entries(hash)) {
    if (sku.startsWith("#")) continue;
    const qty = Number(raw);
    if (Number.isSafeInteger(qty) && qty > 0) lines[sku] = qty;
  }
  const version = Number(hash["#v"] ?? 0);
  return { lines, version: Number.isSafeInteger(version) ? version : 0 };
}
