import type { Role, Session, User } from "../../domain/identity/user.ts";

export interface NewUser extends User {
  readonly passwordHash: string;
}

export interface UserStore {
  /** Throws `EmailTaken` when the (normalized) email exists. */
  create(user: NewUser): Promise<User>;
  findByEmail(email: string): Promise<{ user: User; passwordHash: string } | null>;
  get(id: string): Promise<User | null>;
  getMany(ids: readonly string[]): Promise<User[]>;
  /** Sets role and password hash of an existing user (used to ensure the admin account). */
  update(id: string, change: { role?: Role; passwordHash?: string }): Promise<User>;
  /**
   * Changes the display name and, atomically with it, publishes a `user` event (the id in
   * `sku`) on the change feed, so copies of the name (reviews) follow. Throws `NotFound`.
   */
  setDisplayName(id: string, displayName: string | null, at: Date): Promise<User>;
}

export interface SessionWithUser {
  readonly session: Session;
  readonly user: User;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  /**
   * The session and the user holding it, in one read: every authenticated request makes it.
   * Null when the token hash is unknown.
   */
  find(tokenHash: string): Promise<SessionWithUser | null>;
  /** Idempotent: revoking a revoked or unknown token does nothing. */
  revoke(tokenHash: string, at: Date): Promise<void>;
}
