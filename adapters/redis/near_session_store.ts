import type { Role, Session, User } from "../../domain/identity/user.ts";
import type {
  NewUser,
  SessionStore,
  SessionWithUser,
  UserStore,
} from "../../ports/identity/users.ts";
import { type LocalCopy, type NearBounds, NearEntries } from "./_near_entries.ts";

export interface NearSessionStoreOptions extends NearBounds {
  /** Tells the other processes what changed (a Redis PUBLISH of `t:<hash>` or `u:<user id>`). */
  readonly publish: (message: string) => Promise<unknown>;
}

/**
 * A small in-process cache in front of the session store (PostgreSQL): the session and user an
 * authenticated request reads are answered from memory, with no round trip. A logout
 * (`revoke`) and a change to the user (`userChanged`, called by `SessionDroppingUsers`) drop
 * them here and, through one PUBLISH, in every other process that listens
 * (`listenForInvalidations`).
 *
 * Bounded as `NearEntries` is: `ttlMs` after the read at most, whether or not a message arrives;
 * nothing while the subscription is down; `maxEntries` sessions. The caller still checks expiry
 * and revocation on what it gets, so a cached session past its `expiresAt` is refused all the same.
 */
export class NearSessionStore implements SessionStore, LocalCopy {
  readonly #inner: SessionStore;
  readonly #publish: (message: string) => Promise<unknown>;
  /** By token hash, filed under the user's id. */
  readonly #found: NearEntries<SessionWithUser>;

  constructor(inner: SessionStore, options: NearSessionStoreOptions) {
    this.#inner = inner;
    this.#publish = options.publish;
    this.#found = new NearEntries(options, (found) => [found.user.id]);
  }

  /** Whether invalidation messages arrive; when they may not, the local copy is not used. */
  get listening(): boolean {
    return this.#found.listening;
  }

  set listening(on: boolean) {
    this.#found.listening = on;
  }

  /** Sessions held locally (for tests and the memory bound). */
  get size(): number {
    return this.#found.size;
  }

  find(tokenHash: string): Promise<SessionWithUser | null> {
    return this.#found.read(tokenHash, () => this.#inner.find(tokenHash));
  }

  create(session: Session): Promise<void> {
    return this.#inner.create(session);
  }

  /** The durable revocation first; then the copies here and in the other processes. */
  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.#inner.revoke(tokenHash, at);
    this.#found.drop(tokenHash, null);
    await this.#announce(`t:${tokenHash}`);
  }

  /** Drops every session of the user (whose copy of the user is now stale), everywhere. */
  async userChanged(userId: string): Promise<void> {
    this.#found.drop(null, userId);
    await this.#announce(`u:${userId}`);
  }

  /** Forgets what a message names: `t:<token hash>` one session, `u:<user id>` all of a user's. */
  drop(message: string): void {
    if (message.startsWith("t:")) this.#found.drop(message.slice(2), null);
    else if (message.startsWith("u:")) this.#found.drop(null, message.slice(2));
    else this.clear(); // not ours to read: forgetting everything is always safe
  }

  clear(): void {
    this.#found.clear();
  }

  async #announce(message: string): Promise<void> {
    try {
      await this.#publish(message);
    } catch {
      // The change is durable and dropped here already; failing the logout or the edit would
      // not undo it. A process that misses the message serves the old session at most ttlMs
      // longer (and nothing at all once its own subscription notices Redis is down).
    }
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

/** The channel session invalidations (`NearSessionStore`) travel on: one per key prefix. */
export function sessionInvalidationChannel(prefix: string): string {
  return `${prefix}session-invalidations`;
}
