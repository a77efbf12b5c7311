/**
 * Stripe's state in front of stripe-mock, for races and flows that need a PaymentIntent to succeed
 * (the reliability payment race, the checkout flow test). stripe-mock validates every
 * request against Stripe's OpenAPI spec but keeps no state: each create answers a fresh `pi_...`
 * that never succeeds, a retrieve echoes any id, an idempotency key is never replayed. The race
 * needs what Stripe itself does between those calls, so this proxy forwards every request to
 * stripe-mock (a request the mock refuses is answered as refused and counted) and overlays on
 * the mock's answer the little state Stripe keeps:
 *
 * - a PaymentIntent per create, remembered with its amount, currency and `metadata.orderId`; it
 *   starts `requires_action` (every card asks for 3-D Secure), and `finish(id)` is the customer
 *   completing it in the browser (`succeeded`);
 * - idempotency: the same `Idempotency-Key` answers the first response again, marked
 *   `Idempotent-Replayed: true`, as Stripe does for 24 hours;
 * - a retrieve answers the PaymentIntent's current status;
 * - refunds: one per PaymentIntent; refunding a refunded one is `charge_already_refunded`.
 */

interface Intent {
  readonly id: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  status: "requires_action" | "succeeded";
}

interface Stored {
  readonly status: number;
  readonly body: string;
}

export class StripeShim {
  readonly intents = new Map<string, Intent>();
  /** Refunded amount per PaymentIntent. */
  readonly refunds = new Map<string, number>();
  /** Requests stripe-mock refused (the adapter sent something Stripe would not accept). */
  readonly refused: string[] = [];
  forwarded = 0;
  readonly #replies = new Map<string, Stored>();
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  private constructor(readonly mockUrl: string) {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  static start(mockUrl: string): StripeShim {
    return new StripeShim(mockUrl.replace(/\/$/, ""));
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** The customer completed the payment in the browser (3-D Secure passed). */
  finish(intentId: string): void {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error(`no PaymentIntent ${intentId} was created`);
    intent.status = "succeeded";
  }

  async stop(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === "GET" ? undefined : await request.text();
    const headers = new Headers();
    for (const name of ["Authorization", "Content-Type", "Stripe-Version", "Idempotency-Key"]) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const upstream = await fetch(`${this.mockUrl}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body,
    });
    const text = await upstream.text();
    this.forwarded++;
    if (upstream.status >= 400) {
      this.refused.push(`${request.method} ${url.pathname}: ${upstream.status} ${text}`);
      return new Response(text, { status: upstream.status, headers: json });
    }
    const key = request.headers.get("Idempotency-Key");
    const stored = key ? this.#replies.get(`${url.pathname}\n${key}`) : undefined;
    if (stored) {
      return new Response(stored.body, {
        status: stored.status,
        headers: { ...json, "Idempotent-Replayed": "true" },
      });
    }
    const form = new URLSearchParams(body ?? "");
    const reply = this.#overlay(request.method, url.pathname, form, JSON.parse(text));
    if (key && request.method === "POST") this.#replies.set(`${url.pathname}\n${key}`, reply);
    return new Response(reply.body, { status: reply.status, headers: json });
  }

  // deno-lint-ignore no-explicit-any
  #overlay(method: string, path: string, form: URLSearchParams, mock: any): Stored {
    const ok = (object: unknown) => ({ status: 200, body: JSON.stringify(object) });
    if (method === "POST" && path === "/v1/payment_intents") {
      const intent: Intent = {
        id: mock.id,
        orderId: form.get("metadata[orderId]") ?? "",
        amount: Number(form.get("amount")),
        currency: form.get("currency") ?? "",
        status: "requires_action",
      };
      this.intents.set(intent.id, intent);
      return ok(this.#intentJson(mock, intent));
    }
    const retrieve = path.match(/^\/v1\/payment_intents\/([^/]+)$/);
    if (method === "GET" && retrieve && this.intents.has(retrieve[1])) {
      return ok(this.#intentJson(mock, this.intents.get(retrieve[1])!));
    }
    if (method === "POST" && path === "/v1/refunds") {
      const pi = form.get("payment_intent") ?? "";
      if (this.refunds.has(pi)) {
        return {
          status: 400,
          body: JSON.stringify({
            error: {
              type: "invalid_request_error",
              code: "charge_already_refunded",
              message: `Charge for ${pi} has already been refunded.`,
            },
          }),
        };
      }
      const amount = Number(form.get("amount") ?? this.intents.get(pi)?.amount ?? 0);
      this.refunds.set(pi, amount);
      return ok({ ...mock, payment_intent: pi, amount, status: "succeeded" });
    }
    return ok(mock);
  }

  // deno-lint-ignore no-explicit-any
  #intentJson(mock: any, intent: Intent) {
    return {
      ...mock,
      id: intent.id,
      amount: intent.amount,
      currency: intent.currency,
      status: intent.status,
      client_secret: `${intent.id}_secret_reliability`,
      metadata: { orderId: intent.orderId },
      next_action: intent.status === "requires_action" ? { type: "use_stripe_sdk" } : null,
    };
  }
}

const json = { "Content-Type": "application/json" };
