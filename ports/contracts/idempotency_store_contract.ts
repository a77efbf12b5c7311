import assert from "node:assert/strict";
import type { IdempotencyScope, IdempotencyStore } from "../idempotency.ts";
import type { UserStore } from "../users.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";
import { testUser } from "./users_contract.ts";

export interface IdempotencyFixture {
  readonly idempotency: IdempotencyStore;
  /** Give it where keys reference a users table: the suite then creates its users first. */
  readonly users?: UserStore;
}

const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);
const TTL = 60_000;

async function newUserId(fx: IdempotencyFixture): Promise<string> {
  const user = testUser();
  if (fx.users) await fx.users.create(user);
  return user.id;
}

function scope(userId: string, fingerprint = "POST /orders body-1"): IdempotencyScope {
  return { userId, key: `key-${crypto.randomUUID()}`, fingerprint };
}

export function idempotencyStoreContract(
  label: string,
  make: MakeFixture<IdempotencyFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: IdempotencyStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step(
        "claim() claims a new key; a second claim is in_flight until complete()",
        async () => {
          const fx = await make();
          try {
            const { idempotency } = fx.subject;
            const s = scope(await newUserId(fx.subject));
            assert.deepEqual(await idempotency.claim(s, at(0), TTL), { kind: "claimed" });
            assert.deepEqual(await idempotency.claim(s, at(1_000), TTL), { kind: "in_flight" });
            const response = {
              status: 201,
              body: { id: "order-1", items: [{ sku: "a", qty: 2 }] },
            };
            await idempotency.complete(s, response);
            assert.deepEqual(await idempotency.claim(s, at(2_000), TTL), {
              kind: "replay",
              response,
            });
            assert.deepEqual(await idempotency.claim(s, at(3_000), TTL), {
              kind: "replay",
              response,
            });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "claim() reports mismatch for the same key with another fingerprint",
        async () => {
          const fx = await make();
          try {
            const { idempotency } = fx.subject;
            const s = scope(await newUserId(fx.subject));
            const other = { ...s, fingerprint: "POST /orders body-2" };
            await idempotency.claim(s, at(0), TTL);
            assert.deepEqual(await idempotency.claim(other, at(1_000), TTL), { kind: "mismatch" });
            await idempotency.complete(s, { status: 200, body: null });
            assert.deepEqual(await idempotency.claim(other, at(2_000), TTL), { kind: "mismatch" });
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("keys are scoped per user", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const mine = scope(await newUserId(fx.subject));
          const theirs = { ...mine, userId: await newUserId(fx.subject), fingerprint: "other" };
          assert.deepEqual(await idempotency.claim(mine, at(0), TTL), { kind: "claimed" });
          assert.deepEqual(await idempotency.claim(theirs, at(0), TTL), { kind: "claimed" });
        } finally {
          await fx.close();
        }
      });

      await t.step("a key older than ttlMs counts as absent", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const s = scope(await newUserId(fx.subject));
          await idempotency.claim(s, at(0), TTL);
          await idempotency.complete(s, { status: 201, body: { n: 1 } });
          assert.equal((await idempotency.claim(s, at(TTL - 1), TTL)).kind, "replay");
          const renewed = { ...s, fingerprint: "a new request" };
          assert.deepEqual(await idempotency.claim(renewed, at(TTL * 2), TTL), { kind: "claimed" });
          assert.deepEqual(await idempotency.claim(renewed, at(TTL * 2 + 1), TTL), {
            kind: "in_flight",
          });

          const stale = scope(s.userId);
          await idempotency.claim(stale, at(0), TTL);
          assert.deepEqual(await idempotency.claim(stale, at(TTL * 2), TTL), { kind: "claimed" });
        } finally {
          await fx.close();
        }
      });

      await t.step("release() drops an unfinished claim but keeps a completed one", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const userId = await newUserId(fx.subject);
          const s = scope(userId);
          await idempotency.claim(s, at(0), TTL);
          await idempotency.release(s);
          assert.deepEqual(await idempotency.claim(s, at(1_000), TTL), { kind: "claimed" });

          const done = scope(userId);
          const response = { status: 201, body: { ok: true } };
          await idempotency.claim(done, at(0), TTL);
          await idempotency.complete(done, response);
          await idempotency.release(done);
          assert.deepEqual(await idempotency.claim(done, at(1_000), TTL), {
            kind: "replay",
            response,
          });

          await idempotency.release(scope(userId));
        } finally {
          await fx.close();
        }
      });

      await t.step("concurrent claims of one key: exactly one is claimed", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const s = scope(await newUserId(fx.subject));
          const results = await Promise.all(
            Array.from({ length: 10 }, () => idempotency.claim(s, at(0), TTL)),
          );
          const kinds = results.map((r) => r.kind).sort();
          assert.deepEqual(kinds, ["claimed", ...Array(9).fill("in_flight")]);
        } finally {
          await fx.close();
        }
      });
    },
  });
}
