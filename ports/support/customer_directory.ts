import type { User } from "../../domain/identity/user.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";

export interface CustomerQuery extends PageRequest {
  /** Matches an email prefix or a part of the display name, case-insensitively; "" all. */
  readonly q: string;
}

/** Finds users for the support team (PostgreSQL), newest first. */
export interface CustomerDirectory {
  find(query: CustomerQuery): Promise<Page<User>>;
}
