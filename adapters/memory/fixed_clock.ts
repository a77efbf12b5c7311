import type { Clock } from "../../ports/clock.ts";
import type { IdGenerator } from "../../ports/ids.ts";

/** A clock that only moves when told to. `now()` returns a fresh copy each time. */
export class FixedClock implements Clock {
  #ms: number;

  constructor(start: Date = new Date("2025-01-01T00:00:00.000Z")) {
    this.#ms = start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    this.#ms += ms;
    return this.now();
  }

  set(date: Date): void {
    this.#ms = date.getTime();
  }
}

/**
 * Deterministic ids shaped like v4 UUIDs (`00000000-0000-4000-8000-000000000001`, ...) so
 * they fit uuid columns, and tokens `tok-000001`, `tok-000002`, ... A `prefix` (up to 8 hex
 * digits) fills the first group so two generators in one test never collide.
 */
export class SequentialIds implements IdGenerator {
  #ids = 0;
  #tokens = 0;
  readonly #prefix: string;

  constructor(prefix = "00000000") {
    if (!/^[0-9a-f]{1,8}$/.test(prefix)) throw new RangeError(`prefix must be hex: ${prefix}`);
    this.#prefix = prefix.padStart(8, "0");
  }

  id(): string {
    this.#ids += 1;
    return `${this.#prefix}-0000-4000-8000-${this.#ids.toString(16).padStart(12, "0")}`;
  }

  token(): string {
    this.#tokens += 1;
    return `tok-${String(this.#tokens).padStart(6, "0")}`;
  }
}
