import type { CartLines } from "../../domain/cart/cart.ts";
import { addLine, CART_TTL_MS, setLine, subtractLines } from "../../domain/cart/cart.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type { CartStore } from "../../ports/cart/carts.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Outage } from "./outage.ts";

export interface MemoryCartStoreOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
}

interface StoredCart {
  readonly lines: CartLines;
  readonly expiresAtMs: number;
}

/**
 * Carts in memory, standing in for Redis hashes: every write refreshes the expiry to
 * `ttlMs` after the clock's now; an expired or emptied cart is gone. Each operation runs
 * without yielding, so concurrent `add`s never lose an increment.
 */
export class MemoryCartStore implements CartStore {
  readonly #carts = new Map<string, StoredCart>();
  readonly #outage?: Outage;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number = CART_TTL_MS,
    options: MemoryCartStoreOptions = {},
  ) {
    this.#outage = options.outage;
  }

  get(userId: string): Promise<CartLines> {
    return this.#run(() => ({ ...this.#live(userId) }));
  }

  add(userId: string, sku: string, qty: number): Promise<CartLines> {
    return this.#run(() => this.#write(userId, addLine(this.#live(userId), sku, qty)));
  }

  set(userId: string, sku: string, qty: number): Promise<CartLines> {
    return this.#run(() => this.#write(userId, setLine(this.#live(userId), sku, qty)));
  }

  remove(userId: string, sku: string): Promise<CartLines> {
    return this.#run(() => this.#write(userId, setLine(this.#live(userId), sku, 0)));
  }

  subtract(userId: string, lines: readonly StockLine[]): Promise<CartLines> {
    return this.#run(() => {
      const live = this.#live(userId);
      const next = subtractLines(live, lines);
      return next === live ? { ...live } : this.#write(userId, next);
    });
  }

  clear(userId: string): Promise<void> {
    return this.#run(() => {
      this.#carts.delete(userId);
    });
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("redis");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #live(userId: string): CartLines {
    const cart = this.#carts.get(userId);
    if (!cart) return {};
    if (cart.expiresAtMs <= this.clock.now().getTime()) {
      this.#carts.delete(userId);
      return {};
    }
    return cart.lines;
  }

  #write(userId: string, lines: CartLines): CartLines {
    if (Object.keys(lines).length === 0) {
      this.#carts.delete(userId);
      return {};
    }
    this.#carts.set(userId, { lines, expiresAtMs: this.clock.now().getTime() + this.ttlMs });
    return { ...lines };
  }
}
