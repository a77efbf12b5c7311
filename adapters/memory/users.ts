import { AlreadyExists, EmailTaken, NotFound } from "../../domain/errors.ts";
import { normalizeEmail, type Role, type Session, type User } from "../../domain/identity/user.ts";
import type {
  NewUser,
  SessionStore,
  SessionWithUser,
  UserStore,
} from "../../ports/identity/users.ts";
import type { MemoryChangeLog } from "./change_feed.ts";

interface StoredUser {
  readonly user: User;
  readonly passwordHash: string;
}

/** Users in memory; emails are stored normalized and unique case-insensitively. */
export class MemoryUserStore implements UserStore {
  readonly #byId = new Map<string, StoredUser>();
  readonly #idByEmail = new Map<string, string>();
  readonly #changes?: MemoryChangeLog;
  readonly #renamed?: (userId: string, at: Date) => void;

  /**
   * `changes`: where display-name changes are published (the memory outbox). `renamed`: told
   * of each change in the same step, as PostgreSQL re-sends the user's orders to the support
   * index in the renaming transaction.
   */
  constructor(
    options: { changes?: MemoryChangeLog; renamed?: (userId: string, at: Date) => void } = {},
  ) {
    this.#changes = options.changes;
    this.#renamed = options.renamed;
  }

  create(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    if (this.#idByEmail.has(email)) return Promise.reject(new EmailTaken(email));
    if (this.#byId.has(input.id)) {
      return Promise.reject(new AlreadyExists("user", "id", input.id));
    }
    const user: User = {
      id: input.id,
      email,
      displayName: input.displayName,
      role: input.role,
      createdAt: new Date(input.createdAt),
    };
    this.#byId.set(user.id, Object.freeze({ user, passwordHash: input.passwordHash }));
    this.#idByEmail.set(email, user.id);
    return Promise.resolve(copyUser(user));
  }

  findByEmail(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const id = this.#idByEmail.get(normalizeEmail(email));
    const stored = id === undefined ? undefined : this.#byId.get(id);
    return Promise.resolve(
      stored ? { user: copyUser(stored.user), passwordHash: stored.passwordHash } : null,
    );
  }

  get(id: string): Promise<User | null> {
    const stored = this.#byId.get(id);
    return Promise.resolve(stored ? copyUser(stored.user) : null);
  }

  getMany(ids: readonly string[]): Promise<User[]> {
    const found = [...new Set(ids)].flatMap((id) => this.#byId.get(id)?.user ?? []);
    return Promise.resolve(found.map(copyUser));
  }

  update(id: string, change: { role?: Role; passwordHash?: string }): Promise<User> {
    const stored = this.#byId.get(id);
    if (!stored) return Promise.reject(new NotFound("user", id));
    const user: User = { ...stored.user, role: change.role ?? stored.user.role };
    const passwordHash = change.passwordHash ?? stored.passwordHash;
    this.#byId.set(id, Object.freeze({ user, passwordHash }));
    return Promise.resolve(copyUser(user));
  }

  /** Every user, synchronously (the in-memory customer directory reads it). */
  allSync(): User[] {
    return [...this.#byId.values()].map((s) => copyUser(s.user));
  }

  setDisplayName(id: string, displayName: string | null, at: Date): Promise<User> {
    const stored = this.#byId.get(id);
    if (!stored) return Promise.reject(new NotFound("user", id));
    const user: User = { ...stored.user, displayName };
    this.#byId.set(id, Object.freeze({ user, passwordHash: stored.passwordHash }));
    this.#changes?.append("user", id, at);
    this.#renamed?.(id, at);
    return Promise.resolve(copyUser(user));
  }
}

/** Sessions in memory, keyed by token hash; they belong to users of the given store. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly users: UserStore) {}

  async create(session: Session): Promise<void> {
    if (this.#sessions.has(session.tokenHash)) {
      throw new AlreadyExists("session", "tokenHash", session.tokenHash);
    }
    if (!(await this.users.get(session.userId))) throw new NotFound("user", session.userId);
    this.#sessions.set(session.tokenHash, Object.freeze(copySession(session)));
  }

  async find(tokenHash: string): Promise<SessionWithUser | null> {
    const session = this.#sessions.get(tokenHash);
    const user = session && await this.users.get(session.userId);
    return session && user ? { session: copySession(session), user } : null;
  }

  /** Housekeeping: drops up to `limit` sessions that expired or were revoked before `before`. */
  prune(before: Date, limit: number): number {
    let removed = 0;
    for (const [hash, s] of this.#sessions) {
      if (removed >= limit) break;
      const ended = s.revokedAt && s.revokedAt < s.expiresAt ? s.revokedAt : s.expiresAt;
      if (ended.getTime() >= before.getTime()) continue;
      this.#sessions.delete(hash);
      removed++;
    }
    return removed;
  }

  /** How many sessions it holds (tests). */
  get size(): number {
    return this.#sessions.size;
  }

  revoke(tokenHash: string, at: Date): Promise<void> {
    const session = this.#sessions.get(tokenHash);
    if (session && session.revokedAt === null) {
      this.#sessions.set(tokenHash, Object.freeze({ ...session, revokedAt: new Date(at) }));
    }
    return Promise.resolve();
  }
}

function copyUser(user: User): User {
  return { ...user, createdAt: new Date(user.createdAt) };
}

function copySession(s: Session): Session {
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    expiresAt: new Date(s.expiresAt),
    revokedAt: s.revokedAt ? new Date(s.revokedAt) : null,
  };
}
