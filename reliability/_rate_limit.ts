/**
 * The sliding-window limiter under concurrency: `limit + k` requests fired at once inside one
 * window must let exactly `limit` through, per user and per client address. A second API
 * process on the same stack runs with a small limit and trusts X-Forwarded-For, so every
 * round has a fresh address of its own.
 */
import assert from "node:assert/strict";
import type { Figures } from "./_figures.ts";
import { Http, isProblem, passwords, randomPassword, type Reply } from "./_http.ts";
import type { Stack } from "./_stack.ts";

const LIMIT = 20;

function tally(replies: readonly Reply[]) {
  const limited = replies.filter((r) => r.status === 429);
  const allowed = replies.filter((r) => r.status !== 429);
  return { limited, allowed };
}

function checkRound(replies: readonly Reply[], k: number, what: string): void {
  const { limited, allowed } = tally(replies);
  assert.equal(allowed.length, LIMIT, `${what}: ${allowed.length} allowed of ${LIMIT + k}`);
  assert.equal(limited.length, k, `${what}: ${limited.length} limited`);
  assert.ok(allowed.every((r) => r.status < 500), `${what}: a 5xx`);
  for (const r of limited) {
    assert.ok(isProblem(r, 429, "rate_limited"), r.text);
    assert.ok(Number(r.headers.get("retry-after")) >= 1, "429 carries Retry-After");
    assert.equal(r.headers.get("ratelimit-remaining"), "0");
  }
  // Each allowed request saw its own slot: the remaining counts are LIMIT-1 ... 0, once each.
  const remaining = allowed.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) =>
    a - b
  );
  assert.deepEqual(remaining, Array.from({ length: LIMIT }, (_, i) => i), `${what}: slots`);
}

export async function rateLimiter(stack: Stack, figures: Figures): Promise<void> {
  const api = await stack.startExtraApi("api-limited", {
    RATE_LIMIT_MAX: String(LIMIT),
    RATE_LIMIT_WINDOW_S: "60",
    TRUST_PROXY: "1",
  });
  try {
    const http = new Http(api.url);
    let checked = 0;
    let address = 0;
    const nextAddress = () => `10.77.${Math.floor(++address / 250)}.${address % 250 + 1}`;
    for (const k of [1, 9, 40]) {
      // Per user: register from an address of its own, then burst /me with the token.
      const password = randomPassword();
      passwords.add(password);
      const registered = await http.post("/auth/register", {
        json: { email: `limit-${crypto.randomUUID().slice(0, 8)}@reliability.test`, password },
        headers: { "X-Forwarded-For": nextAddress() },
      });
      assert.equal(registered.status, 201, registered.text);
      const token = registered.body.token;
      const burst = await Promise.all(
        Array.from({ length: LIMIT + k }, () => http.get("/me", { token })),
      );
      checkRound(burst, k, `user, limit ${LIMIT} + ${k}`);
      checked += burst.length;

      // Per address, anonymous.
      const from = nextAddress();
      const anonymous = await Promise.all(
        Array.from(
          { length: LIMIT + k },
          () => http.get("/products?size=1", { headers: { "X-Forwarded-For": from } }),
        ),
      );
      checkRound(anonymous, k, `address, limit ${LIMIT} + ${k}`);
      checked += anonymous.length;
    }
    figures.checked("rate limiter bursts (limit + k at once)", checked);
  } finally {
    await api.stop();
  }
}
