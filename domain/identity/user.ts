export const ROLES = ["customer", "admin"] as const;
export type Role = typeof ROLES[number];

export const MIN_PASSWORD_LENGTH = 8;

export interface User {
  readonly id: string;
  readonly email: string; // normalized: trimmed, lower case
  readonly displayName: string | null;
  readonly role: Role;
  readonly createdAt: Date;
}

export interface Session {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isSessionLive(session: Session, now: Date): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > now.getTime();
}
