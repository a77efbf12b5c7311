import type { Role, Session, User } from "../../domain/identity/user.ts";
import type {
  NewUser,
  SessionStore,
  SessionWithUser,
  UserStore,
} from "../../ports/identity/users.ts";
import type { LocalCopy } from "./near_product_cache.ts";

export interface NearSessionStoreOptions {
  /** The staleness bound: a session read from the inner store is served locally this long. */
  readonly ttlMs: number;
  /** The memory bound: most sessions held (least recently read dropped first). */
  readonly maxEntries: number;
  /** Tells the other processes what changed (a Redis PUBLISH of `t:<hash>` or `u:<user id>`). */
  readonly publish: (message: string) => Promise<unknown>;
  /** Milliseconds, monotonic; tests pass their own. */
  readonly now?: () => number;
}

interface Entry {
  readonly found: SessionWithUser;
  readonly expiresAt: number;
}

/**
 * A small in-process cache in front of the session store (PostgreSQL): the session and user an
 * authenticated request reads are answered from memory, with no round trip. A logout
 * (`revoke`) and a change to the user (`userChanged`, called by `SessionDroppingUsers`) drop
 * them here and, through one PUBLISH, in every other process that listens
 * (`listenForInvalidations`).
 *
 * Bounded staleness: an entry is served locally at most `ttlMs` after it was read, whether or
 * not a message arrives; while the subscription is down (`listening` false) nothing is served
 * locally, and it comes back empty. Bounded memory: at most `maxEntries` sessions. A read that a
 * drop overtook is answered but not kept. The caller still checks expiry and revocation on
 * what it gets, so a cached session past its `expiresAt` is refused all the same.
 */
export class NearSessionStore implements SessionStore, LocalCopy {
  readonly #inner: SessionStore;
  readonly #options: NearSessionStoreOptions;
  readonly #now: () => number;
  /** Token hash -> entry; Map order is least recently read first. */
  readonly #entries = new Map<string, Entry>();
  /** User id -> the token hashes whose entry holds that user. */
  readonly #hashesByUser = new Map<string, Set<string>>();
  /** Bumped by every drop: a read that started before one is not kept. */
  #epoch = 0;
  #listening = false;

  constructor(inner: SessionStore, options: NearSessionStoreOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Whether invalidation messages arrive; when they may not, the local copy is not used. */
  get listening(): boolean {
    return this.#listening;
  }

  set listening(on: boolean) {
    if (on !== this.#listening) this.clear();
    this.#listening = on;
  }

  /** Sessions held locally (for tests and the memory bound). */
  get size(): number {
    return this.#entries.size;
  }

  async find(tokenHash: string): Promise<SessionWithUser | null> {
    if (this.#listening) {
      const entry = this.#entries.get(tokenHash);
      if (entry && entry.expiresAt > this.#now()) {
        this.#entries.delete(tokenHash); // most recently read last
        this.#entries.set(tokenHash, entry);
        return entry.found;
      }
      if (entry) this.#remove(tokenHash);
    }
    const epoch = this.#epoch;
    const found = await this.#inner.find(tokenHash);
    if (found && this.#listening && epoch === this.#epoch) this.#keep(tokenHash, found);
    return found;
  }

  create(session: Session): Promise<void> {
    return this.#inner.create(session);
  }

  /** The durable revocation first; then the copies here and in the other processes. */
  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.#inner.revoke(tokenHash, at);
    this.#dropSession(tokenHash);
    await this.#announce(`t:${tokenHash}`);
  }

  /** Drops every session of the user (whose copy of the user is now stale), everywhere. */
  async userChanged(userId: string): Promise<void> {
    this.#dropUser(userId);
    await this.#announce(`u:${userId}`);
  }

  /** Forgets what a message names: `t:<token hash>` one session, `u:<user id>` all of a user's. */
  drop(message: string): void {
    if (message.startsWith("t:")) this.#dropSession(message.slice(2));
    else if (message.startsWith("u:")) this.#dropUser(message.slice(2));
    else this.clear(); // not ours to read: forgetting everything is always safe
  }

  clear(): void {
    this.#epoch += 1;
    this.#entries.clear();
    this.#hashesByUser.clear();
  }

  async #announce(message: string): Promise<void> {
    try {
      await this.#options.publish(message);
    } catch {
      // The change is durable and dropped here already; failing the logout or the edit would
      // not undo it. A process that misses the message serves the old session at most ttlMs
      // longer (and nothing at all once its own subscription notices Redis is down).
    }
  }

  #dropSession(tokenHash: string): void {
    this.#epoch += 1;
    this.#remove(tokenHash);
  }

  #dropUser(userId: string): void {
    this.#epoch += 1;
    for (const tokenHash of this.#hashesByUser.get(userId) ?? []) this.#remove(tokenHash);
  }

  #keep(tokenHash: string, found: SessionWithUser): void {
    this.#remove(tokenHash);
    this.#entries.set(tokenHash, { found, expiresAt: this.#now() + this.#options.ttlMs });
    const hashes = this.#hashesByUser.get(found.user.id) ?? new Set();
    hashes.add(tokenHash);
    this.#hashesByUser.set(found.user.id, hashes);
    while (this.#entries.size > this.#options.maxEntries) {
      this.#remove(this.#entries.keys().next().value!);
    }
  }

  #remove(tokenHash: string): void {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return;
    this.#entries.delete(tokenHash);
    const hashes = this.#hashesByUser.get(entry.found.user.id);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.#hashesByUser.delete(entry.found.user.id);
  }
}

/**
 * The user store with the near session cache told of every change to a user (role, password,
 * display name), since each cached session carries a copy of its user.
 */
export class SessionDroppingUsers implements UserStore {
  readonly #inner: UserStore;
  readonly #sessions: NearSessionStore;

  constructor(inner: UserStore, sessions: NearSessionStore) {
    this.#inner = inner;
    this.#sessions = sessions;
  }

  create(user: NewUser): Promise<User> {
    return this.#inner.create(user);
  }

  findByEmail(email: string): Promise<{ user: User; passwordHash: string } | null> {
    return this.#inner.findByEmail(email);
  }

  get(id: string): Promise<User | null> {
    return this.#inner.get(id);
  }

  getMany(ids: readonly string[]): Promise<User[]> {
    return this.#inner.getMany(ids);
  }

  async update(id: string, change: { role?: Role; passwordHash?: string }): Promise<User> {
    const user = await this.#inner.update(id, change);
    await this.#sessions.userChanged(id);
    return user;
  }

  async setDisplayName(id: string, displayName: string | null, at: Date): Promise<User> {
    const user = await this.#inner.setDisplayName(id, displayName, at);
    await this.#sessions.userChanged(id);
    return user;
  }
}
