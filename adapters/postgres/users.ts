import { z } from "zod";
import { touchCustomerOrders } from "./_order_outbox.ts";
import { AlreadyExists, EmailTaken, NotFound } from "../../domain/errors.ts";
import {
  normalizeEmail,
  type Role,
  ROLES,
  type Session,
  type User,
} from "../../domain/identity/user.ts";
import type {
  NewUser,
  SessionStore,
  SessionWithUser,
  UserStore,
} from "../../ports/identity/users.ts";
import { date, isForeignKeyViolation, isUniqueViolation, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const UserRow = z.object({
  id: z.string(),
  email: z.string(),
  display_name: z.string().nullable(),
  role: z.enum(ROLES),
  created_at: date,
  password_hash: z.string(),
});

function toUser(row: unknown): { user: User; passwordHash: string } {
  const r = parseRow(UserRow, row, "users");
  return {
    user: {
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      createdAt: r.created_at,
    },
    passwordHash: r.password_hash,
  };
}

/** Users; emails are stored normalized and unique case-insensitively (`lower(email)` index). */
export class PostgresUserStore implements UserStore {
  constructor(private readonly sql: Sql) {}

  async create(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    try {
      const [row] = await this.sql`
        INSERT INTO users (id, email, display_name, role, password_hash, created_at)
        VALUES (${input.id}, ${email}, ${input.displayName}, ${input.role},
                ${input.passwordHash}, ${input.createdAt})
        RETURNING *`;
      return toUser(row).user;
    } catch (error) {
      if (isUniqueViolation(error, "users_email_lower_key")) throw new EmailTaken(email);
      if (isUniqueViolation(error, "users_pkey")) throw new AlreadyExists("user", "id", input.id);
      throw error;
    }
  }

  async findByEmail(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const [row] = await this.sql`
      SELECT * FROM users WHERE lower(email) = ${normalizeEmail(email)}`;
    return row ? toUser(row) : null;
  }

  async get(id: string): Promise<User | null> {
    const [row] = await this.sql`SELECT * FROM users WHERE id = ${id}`;
    return row ? toUser(row).user : null;
  }

  async getMany(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql`
      SELECT * FROM users WHERE id = ANY(${[...new Set(ids)]}::text[]) ORDER BY id`;
    return rows.map((r) => toUser(r).user);
  }

  async update(id: string, change: { role?: Role; passwordHash?: string }): Promise<User> {
    const [row] = await this.sql`
      UPDATE users SET
        role = coalesce(${change.role ?? null}::text, role),
        password_hash = coalesce(${change.passwordHash ?? null}::text, password_hash)
      WHERE id = ${id}
      RETURNING *`;
    if (!row) throw new NotFound("user", id);
    return toUser(row).user;
  }

  /** The new name and its outbox row (source `user`) commit together, or neither does. */
  async setDisplayName(id: string, displayName: string | null, at: Date): Promise<User> {
    return await this.sql.begin(async (tx) => {
      const [row] = await tx`
        UPDATE users SET display_name = ${displayName} WHERE id = ${id} RETURNING *`;
      if (!row) throw new NotFound("user", id);
      await tx`INSERT INTO outbox (source, sku, at) VALUES ('user', ${id}, ${at})`;
      // The support index holds the customer's name on each order: re-send them.
      await touchCustomerOrders(tx, id, at);
      return toUser(row).user;
    });
  }
}

const SessionRow = z.object({
  token_hash: z.string(),
  user_id: z.string(),
  session_created_at: date,
  expires_at: date,
  revoked_at: date.nullable(),
});

/** Sessions keyed by the SHA-256 of the bearer token; the token itself is never stored. */
export class PostgresSessionStore implements SessionStore {
  constructor(private readonly sql: Sql) {}

  async create(session: Session): Promise<void> {
    try {
      await this.sql`
        INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked_at)
        VALUES (${session.tokenHash}, ${session.userId}, ${session.createdAt},
                ${session.expiresAt}, ${session.revokedAt})`;
    } catch (error) {
      if (isUniqueViolation(error, "sessions_pkey")) {
        throw new AlreadyExists("session", "tokenHash", session.tokenHash);
      }
      if (isForeignKeyViolation(error, "sessions_user_id_fkey")) {
        throw new NotFound("user", session.userId);
      }
      throw error;
    }
  }

  async find(tokenHash: string): Promise<SessionWithUser | null> {
    const [row] = await this.sql`
      SELECT s.token_hash, s.user_id, s.created_at AS session_created_at, s.expires_at,
             s.revoked_at, u.id, u.email, u.display_name, u.role, u.created_at, u.password_hash
      FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ${tokenHash}`;
    if (!row) return null;
    const r = parseRow(SessionRow, row, "sessions");
    return {
      session: {
        tokenHash: r.token_hash,
        userId: r.user_id,
        createdAt: r.session_created_at,
        expiresAt: r.expires_at,
        revokedAt: r.revoked_at,
      },
      user: toUser(row).user,
    };
  }

  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.sql`
      UPDATE sessions SET revoked_at = ${at}
      WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`;
  }
}
