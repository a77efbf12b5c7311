/**
 * Identical reads share one load. A read identical to one in flight joins it; with `reuseMs`
 * above 0, a read identical to one answered less than `reuseMs` ago gets that same answer
 * (a micro-cache: under a crowd the store sees at most one load per distinct read per
 * `reuseMs`, however many ask). Failures are never reused. At most `maxKeys` reads are
 * remembered, the oldest dropped first. Times are monotonic milliseconds.
 */
export class SharedReads<T> {
  /** `answeredAt` is null while the load is in flight. */
  readonly #entries = new Map<string, { readonly answer: Promise<T>; answeredAt: number | null }>();

  constructor(
    private readonly maxKeys = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  read(key: string, reuseMs: number, load: () => Promise<T>): Promise<T> {
    const known = this.#entries.get(key);
    if (known && (known.answeredAt === null || known.answeredAt + reuseMs > this.now())) {
      return known.answer;
    }
    const entry = { answer: load(), answeredAt: null as number | null };
    this.#entries.delete(key); // re-inserted last: Map order is oldest first
    this.#entries.set(key, entry);
    const forget = () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    entry.answer.then(() => {
      if (reuseMs > 0) entry.answeredAt = this.now();
      else forget();
    }, forget);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxKeys) break;
      this.#entries.delete(oldest);
    }
    return entry.answer;
  }

  /** Reads remembered (in flight or reusable), for tests of the memory bound. */
  get size(): number {
    return this.#entries.size;
  }
}
