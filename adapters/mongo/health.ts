import type { Db } from "mongodb";
import type { HealthCheck } from "../../ports/health.ts";
import { toDomainError } from "./_errors.ts";

/** Ready when the server answers `ping`. Not critical: money and stock never need MongoDB. */
export class MongoHealthCheck implements HealthCheck {
  readonly name = "mongodb";
  readonly critical: boolean;
  readonly #db: Db;

  constructor(db: Db, options: { critical?: boolean } = {}) {
    this.#db = db;
    this.critical = options.critical ?? false;
  }

  async check(): Promise<void> {
    try {
      await this.#db.command({ ping: 1 });
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
