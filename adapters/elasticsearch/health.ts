import type { Client } from "@elastic/elasticsearch";
import type { HealthCheck } from "../../ports/health.ts";
import { toDomainError } from "./_errors.ts";

/** Ready when the cluster answers and is not red. Not critical: only search needs it. */
export class ElasticsearchHealthCheck implements HealthCheck {
  readonly name = "elasticsearch";
  readonly critical: boolean;
  readonly #client: Client;

  constructor(client: Client, options: { critical?: boolean } = {}) {
    this.#client = client;
    this.critical = options.critical ?? false;
  }

  async check(): Promise<void> {
    let status: string;
    try {
      ({ status } = await this.#client.cluster.health({ timeout: "2s" }));
    } catch (error) {
      throw toDomainError(error);
    }
    if (status === "red") throw new Error("elasticsearch cluster health is red");
  }
}
