import type { ChainableCommander } from "ioredis";
import { CART_TTL_MS, type CartLines } from "../../domain/cart/cart.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type { CartStore } from "../../ports/cart/carts.ts";
import { attempt, DEFAULT_PREFIX, LuaScript, type RedisClient, replies } from "./_redis.ts";

export interface RedisCartStoreOptions {
  /** Key prefix; the cart of user `u` is the hash `<prefix>cart:<u>`. */
  readonly prefix?: string;
  /** Expiry, refreshed by every write. Default 30 days (`CART_TTL_MS`). */
  readonly ttlMs?: number;
}

/**
 * Decrementing (qty <= 0) must drop a line that reaches 0, atomically with the increment.
 * KEYS[1] cart; ARGV sku, qty, ttlMs. Returns HGETALL as a flat list.
 */
const DECREMENT = new LuaScript(`
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('HGETALL', KEYS[1])
`);

/**
 * Takes quantities out of the cart in one step, never below 0 and never creating a line.
 * KEYS[1] cart; ARGV ttlMs, then sku, qty pairs. Returns HGETALL as a flat list.
 */
const SUBTRACT = new LuaScript(`
local changed = false
for i = 2, #ARGV, 2 do
  local held = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
  if held then
    changed = true
    local left = held - tonumber(ARGV[i + 1])
    if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[i])
    else redis.call('HSET', KEYS[1], ARGV[i], left) end
  end
end
if changed then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
`);

/**
 * Carts as one Redis hash per user (SKU -> quantity). Each write is a MULTI of the change,
 * PEXPIRE and HGETALL sent in one round trip, so increments are atomic and every change
 * refreshes the 30-day expiry. An emptied hash disappears (Redis deletes empty keys).
 * Throws `DependencyUnavailable("redis")` when Redis is unreachable.
 */
export class RedisCartStore implements CartStore {
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(private readonly redis: RedisClient, options: RedisCartStoreOptions = {}) {
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#ttlMs = options.ttlMs ?? CART_TTL_MS;
  }

  get(userId: string): Promise<CartLines> {
    return attempt(this.redis, async () => toCart(await this.redis.hgetall(this.#key(userId))));
  }

  add(userId: string, sku: string, qty: number): Promise<CartLines> {
    assertInteger(qty);
    const key = this.#key(userId);
    if (qty <= 0) {
      return attempt(
        this.redis,
        async () => toCart(pairs(await DECREMENT.run(this.redis, [key], [sku, qty, this.#ttlMs]))),
      );
    }
    return this.#write(key, (m) => m.hincrby(key, sku, qty));
  }

  set(userId: string, sku: string, qty: number): Promise<CartLines> {
    assertInteger(qty);
    const key = this.#key(userId);
    return this.#write(key, (m) => qty > 0 ? m.hset(key, sku, qty) : m.hdel(key, sku));
  }

  remove(userId: string, sku: string): Promise<CartLines> {
    const key = this.#key(userId);
    return this.#write(key, (m) => m.hdel(key, sku));
  }

  subtract(userId: string, lines: readonly StockLine[]): Promise<CartLines> {
    for (const { qty } of lines) assertInteger(qty);
    const key = this.#key(userId);
    const args = [this.#ttlMs, ...lines.flatMap(({ sku, qty }) => [sku, qty])];
    return attempt(
      this.redis,
      async () => toCart(pairs(await SUBTRACT.run(this.redis, [key], args))),
    );
  }

  clear(userId: string): Promise<void> {
    return attempt(this.redis, async () => {
      await this.redis.del(this.#key(userId));
    });
  }

  #key(userId: string): string {
    return `${this.#prefix}cart:${userId}`;
  }

  #write(
    key: string,
    change: (multi: ChainableCommander) => ChainableCommander,
  ): Promise<CartLines> {
    return attempt(this.redis, async () => {
      const multi = change(this.redis.multi()).pexpire(key, this.#ttlMs).hgetall(key);
      const results = replies(await multi.exec());
      return toCart(results[results.length - 1] as Record<string, string>);
    });
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

/** Hash fields to cart lines, keeping only positive integer quantities. */
function toCart(hash: Record<string, string>): CartLines {
  const lines: Record<string, number> = {};
  for (const [sku, raw] of Object.entries(hash)) {
    const qty = Number(raw);
    if (Number.isSafeInteger(qty) && qty > 0) lines[sku] = qty;
  }
  return lines;
}
