/**
 * What one store's wiring hands the composition root: its ports, plus the change feeds, health
 * checks, closers and adapter descriptions it adds. The root concatenates them in store order
 * (PostgreSQL, Redis, MongoDB, Elasticsearch), so feeds and closers keep a fixed order.
 */
import type { ChangeFeed } from "../ports/search/change_feed.ts";
import type { HealthCheck } from "../ports/health.ts";

export type Closer = () => Promise<unknown>;

export interface Contribution<P> {
  readonly ports: P;
  readonly feeds: readonly ChangeFeed[];
  readonly health: readonly HealthCheck[];
  /** Called in reverse order on close, after the closers of the stores wired later. */
  readonly closers: readonly Closer[];
  /** Which adapter serves which ports, for the startup log, keyed by store. */
  readonly adapters: Readonly<Record<string, string>>;
}
