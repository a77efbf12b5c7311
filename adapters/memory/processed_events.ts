import type { ProcessedEvents } from "../../ports/payments/payment_events.ts";

export class MemoryProcessedEvents implements ProcessedEvents {
  readonly #seen = new Set<string>();

  has(provider: string, eventId: string): Promise<boolean> {
    return Promise.resolve(this.#seen.has(`${provider}\n${eventId}`));
  }

  record(provider: string, eventId: string): Promise<boolean> {
    const key = `${provider}\n${eventId}`;
    if (this.#seen.has(key)) return Promise.resolve(false);
    this.#seen.add(key);
    return Promise.resolve(true);
  }
}
