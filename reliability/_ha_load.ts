/**
 * The load of the HA failover suite (`_ha_failover.ts`): customers place, pay and cancel
 * orders against both API instances alternately, retrying an unknown outcome with the same
 * Idempotency-Key as a careful client would; an admin renames products on both APIs (catalog
 * changes the sync worker must carry to search). It records what was acknowledged, so the
 * checks can prove nothing acknowledged was lost, and when each API answered, so the suite can
 * measure how long a fault kept it from answering.
 */
import type { Account, Delivery, Http, Reply } from "./_http.ts";
import { delay } from "./_servers.ts";

const random = (n: number) => Math.floor(Math.random() * n);

/** Not a final answer: retry with the same key (network error, 5xx, 429, key in flight). */
function unknown(reply: Reply | null): boolean {
  if (reply === null || reply.status >= 500 || reply.status === 429) return true;
  return reply.status === 409 && reply.body?.type?.endsWith("idempotency_in_flight") === true;
}

export class HaLoad {
  /** Order ids whose placement was acknowledged (201). */
  readonly placed = new Set<string>();
  /** Order ids whose payment was acknowledged (201). */
  readonly paid = new Set<string>();
  /** The last acknowledged name of each product, unless a later rename's outcome is unknown. */
  readonly names = new Map<string, string>();
  readonly uncertainNames = new Set<string>();
  /** Successful requests: when each started and ended (performance.now()). */
  readonly successes: { api: number; startedAt: number; endedAt: number }[] = [];
  /** Requests answered 5xx or not at all, with when they started. */
  readonly failures: number[] = [];
  unknowns = 0;
  renames = 0;
  #stop = false;
  #running: Promise<void>[] = [];

  constructor(
    readonly apis: readonly Http[],
    readonly customers: readonly Account[],
    readonly admin: Account,
    readonly skus: readonly string[],
    /** The shipping terms every order sends (`createShipping`). */
    readonly delivery: Delivery,
  ) {}

  async #send(
    api: number,
    method: string,
    path: string,
    token: string,
    json: unknown,
    key: string | null,
  ): Promise<Reply | null> {
    const startedAt = performance.now();
    try {
      const reply = await this.apis[api % this.apis.length].send(method, path, {
        token,
        json,
        headers: key === null ? {} : { "Idempotency-Key": key },
        timeoutMs: 8_000,
      });
      if (reply.status < 500) {
        this.successes.push({ api: api % this.apis.length, startedAt, endedAt: performance.now() });
      } else this.failures.push(startedAt);
      return reply;
    } catch {
      this.failures.push(startedAt);
      return null;
    }
  }

  /** Retries an unknown outcome with the same key for up to 40 s, on alternating APIs. */
  async #idempotent(api: number, path: string, token: string, json: unknown) {
    const key = crypto.randomUUID();
    const deadline = performance.now() + 40_000;
    for (let attempt = 0;; attempt++) {
      const reply = await this.#send(api + attempt, "POST", path, token, json, key);
      if (!unknown(reply) || performance.now() > deadline) return reply;
      this.unknowns++;
      await delay(200 + random(300));
    }
  }

  async #customer(account: Account, n: number): Promise<void> {
    for (let i = n; !this.#stop; i++) {
      const items = [{ sku: this.skus[random(this.skus.length)], qty: 1 + random(3) }];
      const placed = await this.#idempotent(i, "/orders", account.token, {
        ...this.delivery,
        items,
      });
      if (placed?.status !== 201) {
        await delay(50);
        continue;
      }
      const orderId: string = placed.body.id;
      this.placed.add(orderId);
      const r = Math.random();
      if (r < 0.6) {
        const json = { orderId, provider: "test", paymentToken: "tok_visa" };
        const paid = await this.#idempotent(i + 1, "/payments", account.token, json);
        if (paid?.status === 201) this.paid.add(orderId);
      } else if (r < 0.8) {
        await this.#send(
          i + 1,
          "POST",
          `/orders/${orderId}/cancel`,
          account.token,
          undefined,
          null,
        );
      } // else left pending
    }
  }

  async #renamer(): Promise<void> {
    for (let i = 0; !this.#stop; i++) {
      const sku = this.skus[i % this.skus.length];
      const name = `HA ${sku} rename ${i}`;
      this.uncertainNames.add(sku);
      for (let attempt = 0; attempt < 100 && !this.#stop; attempt++) {
        const reply = await this.#send(
          i + attempt,
          "PATCH",
          `/admin/products/${sku}`,
          this.admin.token,
          {
            name,
          },
          null,
        );
        if (reply?.status === 200) {
          this.names.set(sku, name);
          this.uncertainNames.delete(sku);
          this.renames++;
          break;
        }
        if (reply !== null && reply.status < 500) {
          throw new Error(`rename ${sku}: ${reply.status} ${reply.text}`);
        }
        await delay(200);
      }
      await delay(100);
    }
  }

  start(): void {
    this.#stop = false;
    this.#running = [
      ...this.customers.map((c, n) => this.#customer(c, n)),
      this.#renamer(),
    ];
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await Promise.all(this.#running);
  }

  /**
   * ms from `faultAt` until every API answered (below 500) a request begun after it: the
   * slower API's first answer; null while one has not.
   */
  answeredAgainMs(faultAt: number): number | null {
    let slowest = 0;
    for (let api = 0; api < this.apis.length; api++) {
      const after = this.successes.filter((s) => s.api === api && s.startedAt >= faultAt);
      if (after.length === 0) return null;
      slowest = Math.max(slowest, Math.min(...after.map((s) => s.endedAt)) - faultAt);
    }
    return Math.round(slowest);
  }

  /** Requests begun after `faultAt` that got a 5xx or no answer. */
  failedSince(faultAt: number): number {
    return this.failures.filter((t) => t >= faultAt).length;
  }

  /** Waits until both APIs answered a request begun after `faultAt`; returns the time it took. */
  async waitAnswered(faultAt: number, timeoutMs = 60_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ms = this.answeredAgainMs(faultAt);
      if (ms !== null) return ms;
      if (performance.now() > deadline) {
        throw new Error(`the APIs did not answer within ${timeoutMs} ms`);
      }
      await delay(20);
    }
  }
}
