import { MongoClient } from "mongodb";

export interface MongoClientOptions {
  /** How long an operation waits for a reachable server before failing (then 503). */
  readonly serverSelectionTimeoutMs?: number;
}

/**
 * One client per process; `client.db()` is the database named in the URL
 * (`mongodb://host:27017/polycart`). Close it last, after the change feed.
 */
export function createMongoClient(url: string, options: MongoClientOptions = {}): MongoClient {
  const timeout = options.serverSelectionTimeoutMs ?? 5_000;
  return new MongoClient(url, {
    appName: "polycart",
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
  });
}
