import type { CartLines } from "../../domain/cart/cart.ts";
import {
  addLine,
  CART_TTL_MS,
  GUEST_CART_TTL_MS,
  setLine,
  subtractLines,
} from "../../domain/cart/cart.ts";
import { CartNotFound, PreconditionFailed } from "../../domain/errors.ts";
import type { StockLine } from "../../domain/inventory/stock.ts";
import type {
  CartOwner,
  CartStore,
  MergeLine,
  VersionedCart,
  WriteCondition,
} from "../../ports/cart/carts.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Outage } from "./outage.ts";

export interface MemoryCartStoreOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("redis")`. */
  readonly outage?: Outage;
  /** Expiry of guest carts, refreshed by every change. Default 7 days. */
  readonly guestTtlMs?: number;
}

interface StoredCart {
  readonly lines: CartLines;
  readonly version: number;
  readonly expiresAtMs: number;
  /** Guest carts: the user who claimed it for a merge. */
  readonly claimedBy?: string;
  /** User carts: the guest carts already merged into it. */
  readonly merged?: ReadonlySet<string>;
}

/**
 * Carts in memory, standing in for Redis hashes: every write refreshes the expiry to the TTL
 * after the clock's now; an expired cart is gone. A cart keeps its version while it lives, even
 * empty. Each operation (check and write included) runs without yielding, so concurrent calls
 * are atomic as the Lua scripts are on Redis.
 */
export class MemoryCartStore implements CartStore {
  readonly #carts = new Map<string, StoredCart>();
  readonly #outage?: Outage;
  readonly #guestTtlMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number = CART_TTL_MS,
    options: MemoryCartStoreOptions = {},
  ) {
    this.#outage = options.outage;
    this.#guestTtlMs = options.guestTtlMs ?? GUEST_CART_TTL_MS;
  }

  get(owner: CartOwner): Promise<VersionedCart> {
    return this.#run(() => view(this.#existing(owner)));
  }

  add(owner: CartOwner, sku: string, qty: number, when?: WriteCondition) {
    return this.#change(owner, when, (lines) => addLine(lines, sku, qty));
  }

  set(owner: CartOwner, sku: string, qty: number, when?: WriteCondition) {
    return this.#change(owner, when, (lines) => setLine(lines, sku, qty));
  }

  remove(owner: CartOwner, sku: string, when?: WriteCondition) {
    return this.#change(owner, when, (lines) => setLine(lines, sku, 0));
  }

  clear(owner: CartOwner, when?: WriteCondition) {
    return this.#change(owner, when, () => ({}));
  }

  subtract(owner: CartOwner, lines: readonly StockLine[]): Promise<VersionedCart> {
    return this.#run(() => {
      const cart = this.#existing(owner);
      const next = subtractLines(cart.lines, lines);
      return next === cart.lines ? view(cart) : this.#write(owner, cart, { lines: next });
    });
  }

  createGuest(guestId: string, sku: string, qty: number): Promise<VersionedCart> {
    return this.#run(() => {
      const owner: CartOwner = { kind: "guest", id: guestId };
      if (this.#live(owner)) throw new Error(`guest cart ${guestId} already exists`);
      return this.#write(owner, { lines: {}, version: 0 }, { lines: { [sku]: qty } });
    });
  }

  claimGuest(guestId: string, userId: string): Promise<CartLines | null> {
    return this.#run(() => {
      const key = keyOf({ kind: "guest", id: guestId });
      const cart = this.#live({ kind: "guest", id: guestId });
      if (!cart || (cart.claimedBy !== undefined && cart.claimedBy !== userId)) return null;
      this.#carts.set(key, { ...cart, claimedBy: userId });
      return { ...cart.lines };
    });
  }

  mergeInto(userId: string, guestId: string, lines: readonly MergeLine[]) {
    return this.#run(() => {
      const owner: CartOwner = { kind: "user", id: userId };
      const cart = this.#existing(owner);
      if (cart.merged?.has(guestId)) return { cart: view(cart), applied: false };
      let next = cart.lines;
      for (const { sku, qty, max } of lines) {
        const current = next[sku] ?? 0;
        next = setLine(next, sku, Math.max(current, Math.min(current + qty, max)));
      }
      const merged = new Set([...cart.merged ?? [], guestId]);
      return { cart: this.#write(owner, cart, { lines: next, merged }), applied: true };
    });
  }

  discardGuest(guestId: string): Promise<void> {
    return this.#run(() => {
      this.#carts.delete(keyOf({ kind: "guest", id: guestId }));
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

  #change(
    owner: CartOwner,
    when: WriteCondition | undefined,
    change: (lines: CartLines) => CartLines,
  ): Promise<VersionedCart> {
    return this.#run(() => {
      const cart = this.#existing(owner);
      if (when?.ifVersion !== undefined && when.ifVersion !== cart.version) {
        throw new PreconditionFailed("cart", cart.version, view(cart));
      }
      return this.#write(owner, cart, { lines: change(cart.lines) });
    });
  }

  /** The live cart; a user's cart that does not exist is empty, a guest's is `CartNotFound`. */
  #existing(owner: CartOwner): Omit<StoredCart, "expiresAtMs"> {
    const cart = this.#live(owner);
    if (owner.kind === "guest" && (!cart || cart.claimedBy !== undefined)) {
      throw new CartNotFound();
    }
    return cart ?? { lines: {}, version: 0 };
  }

  #live(owner: CartOwner): StoredCart | undefined {
    const key = keyOf(owner);
    const cart = this.#carts.get(key);
    if (cart && cart.expiresAtMs <= this.clock.now().getTime()) {
      this.#carts.delete(key);
      return undefined;
    }
    return cart;
  }

  #write(
    owner: CartOwner,
    cart: Omit<StoredCart, "expiresAtMs">,
    change: Pick<StoredCart, "lines"> & Partial<StoredCart>,
  ): VersionedCart {
    const ttl = owner.kind === "guest" ? this.#guestTtlMs : this.ttlMs;
    const next: StoredCart = {
      ...cart,
      ...change,
      version: cart.version + 1,
      expiresAtMs: this.clock.now().getTime() + ttl,
    };
    this.#carts.set(keyOf(owner), next);
    return view(next);
  }
}

function keyOf(owner: CartOwner): string {
  return `${owner.kind}:${owner.id}`;
}

function view(cart: Pick<StoredCart, "lines" | "version">): VersionedCart {
  return { lines: { ...cart.lines }, version: cart.version };
}
