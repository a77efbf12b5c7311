/**
 * Identity failures: registration and login.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

export class EmailTaken extends DomainError {
  readonly code = "email_taken";
  constructor(readonly email: string) {
    super(`email ${email} is already registered`);
  }
}

export class InvalidCredentials extends DomainError {
  readonly code = "invalid_credentials";
  constructor() {
    super("email or password is wrong");
  }
}

export class WeakPassword extends DomainError {
  readonly code = "weak_password";
  constructor(readonly minLength: number) {
    super(`password needs at least ${minLength} characters`);
  }
}
