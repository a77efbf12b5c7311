import { DependencyUnavailable } from "../../domain/errors.ts";

/**
 * A switch that lets tests take an in-memory stand-in for Redis or Elasticsearch "down".
 * Adapters that accept one call `check(name)` first in every operation, so while `down` is
 * true each call throws `DependencyUnavailable`, just as the real adapter does on outage.
 */
export class Outage {
  down: boolean;

  constructor(down = false) {
    this.down = down;
  }

  /** Throws `DependencyUnavailable(dependency)` while the switch is down. */
  check(dependency: string): void {
    if (this.down) throw new DependencyUnavailable(dependency);
  }
}
