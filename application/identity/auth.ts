import {
  EmailTaken,
  InvalidCredentials,
  Unauthenticated,
  WeakPassword,
} from "../../domain/errors.ts";
import { isSessionLive, MIN_PASSWORD_LENGTH, normalizeEmail } from "../../domain/identity/user.ts";
import type { User } from "../../domain/identity/user.ts";
import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";
import type { PasswordHasher } from "../../ports/identity/password_hasher.ts";
import type { SessionStore, UserStore } from "../../ports/identity/users.ts";
import { hashToken } from "./_tokens.ts";

export interface AuthDeps {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sessionTtlMs: number;
}

export interface Authenticated {
  readonly user: User;
  readonly token: string;
}

export interface Principal {
  readonly user: User;
  readonly tokenHash: string;
}

async function openSession(deps: AuthDeps, user: User): Promise<Authenticated> {
  const token = deps.ids.token();
  const now = deps.clock.now();
  await deps.sessions.create({
    tokenHash: await hashToken(token),
    userId: user.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.sessionTtlMs),
    revokedAt: null,
  });
  return { user, token };
}

export async function register(
  deps: AuthDeps,
  input: { email: string; password: string; displayName?: string | null },
): Promise<Authenticated> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new WeakPassword(MIN_PASSWORD_LENGTH);
  }
  const email = normalizeEmail(input.email);
  if (await deps.users.findByEmail(email)) throw new EmailTaken(email);
  const user = await deps.users.create({
    id: deps.ids.id(),
    email,
    displayName: input.displayName?.trim() || null,
    role: "customer",
    createdAt: deps.clock.now(),
    passwordHash: await deps.hasher.hash(input.password),
  });
  return openSession(deps, user);
}

// Verified when the email is unknown, so a miss costs as much time as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function login(
  deps: AuthDeps,
  input: { email: string; password: string },
): Promise<Authenticated> {
  const found = await deps.users.findByEmail(normalizeEmail(input.email));
  if (!found) {
    decoyHash ??= deps.hasher.hash("polycart-decoy-password");
    await deps.hasher.verify(input.password, await decoyHash);
    throw new InvalidCredentials();
  }
  if (!(await deps.hasher.verify(input.password, found.passwordHash))) {
    throw new InvalidCredentials();
  }
  return openSession(deps, found.user);
}

export async function authenticate(deps: AuthDeps, token: string): Promise<Principal> {
  const tokenHash = await hashToken(token);
  const found = await deps.sessions.find(tokenHash);
  if (!found || !isSessionLive(found.session, deps.clock.now())) throw new Unauthenticated();
  return { user: found.user, tokenHash };
}

export async function logout(deps: AuthDeps, principal: Principal): Promise<void> {
  await deps.sessions.revoke(principal.tokenHash, deps.clock.now());
}

/** Makes sure the configured admin account exists with the admin role and this password. */
export async function ensureAdmin(
  deps: AuthDeps,
  input: { email: string; password: string },
): Promise<User> {
  const email = normalizeEmail(input.email);
  const passwordHash = await deps.hasher.hash(input.password);
  const found = await deps.users.findByEmail(email);
  if (found) return deps.users.update(found.user.id, { role: "admin", passwordHash });
  return deps.users.create({
    id: deps.ids.id(),
    email,
    displayName: "Administrator",
    role: "admin",
    createdAt: deps.clock.now(),
    passwordHash,
  });
}
