import assert from "node:assert/strict";
import type { IdempotencyScope, IdempotencyStore } from "../idempotency.ts";
import type { UserStore } from "../identity/users.ts";
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
const LEASE = 10_000;
const claimOptions = (resourceId = "res-1") => ({ ttlMs: TTL, leaseMs: LEASE, resourceId });
/** A fresh claim of a new key. */
const claimed = (resourceId = "res-1") => ({ kind: "claimed", resourceId, recovered: false });

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
            assert.deepEqual(await idempotency.claim(s, at(0), claimOptions()), claimed());
            assert.deepEqual(await idempotency.claim(s, at(1_000), claimOptions()), {
              kind: "in_flight",
            });
            const response = {
              status: 201,
              body: { id: "order-1", items: [{ sku: "a", qty: 2 }] },
            };
            await idempotency.complete(s, response);
            assert.deepEqual(await idempotency.claim(s, at(2_000), claimOptions()), {
              kind: "replay",
              response,
            });
            assert.deepEqual(await idempotency.claim(s, at(3_000), claimOptions()), {
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
            await idempotency.claim(s, at(0), claimOptions());
            assert.deepEqual(await idempotency.claim(other, at(1_000), claimOptions()), {
              kind: "mismatch",
            });
            await idempotency.complete(s, { status: 200, body: null });
            assert.deepEqual(await idempotency.claim(other, at(2_000), claimOptions()), {
              kind: "mismatch",
            });
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
          assert.deepEqual(await idempotency.claim(mine, at(0), claimOptions()), claimed());
          assert.deepEqual(await idempotency.claim(theirs, at(0), claimOptions()), claimed());
        } finally {
          await fx.close();
        }
      });

      await t.step("a key older than ttlMs counts as absent", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const s = scope(await newUserId(fx.subject));
          await idempotency.claim(s, at(0), claimOptions());
          await idempotency.complete(s, { status: 201, body: { n: 1 } });
          assert.equal((await idempotency.claim(s, at(TTL - 1), claimOptions())).kind, "replay");
          const renewed = { ...s, fingerprint: "a new request" };
          assert.deepEqual(
            await idempotency.claim(renewed, at(TTL * 2), claimOptions()),
            claimed(),
          );
          assert.deepEqual(await idempotency.claim(renewed, at(TTL * 2 + 1), claimOptions()), {
            kind: "in_flight",
          });

          const stale = scope(s.userId);
          await idempotency.claim(stale, at(0), claimOptions());
          assert.deepEqual(await idempotency.claim(stale, at(TTL * 2), claimOptions()), claimed());
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "an unfinished claim is taken over after leaseMs, with the first resourceId",
        async () => {
          const fx = await make();
          try {
            const { idempotency } = fx.subject;
            const s = scope(await newUserId(fx.subject));
            assert.deepEqual(
              await idempotency.claim(s, at(0), claimOptions("r-1")),
              claimed("r-1"),
            );
            assert.deepEqual(await idempotency.claim(s, at(LEASE - 1), claimOptions("r-2")), {
              kind: "in_flight",
            });
            assert.deepEqual(
              await idempotency.claim({ ...s, fingerprint: "other" }, at(LEASE), claimOptions()),
              { kind: "mismatch" },
              "only the same request may take a claim over",
            );
            assert.deepEqual(await idempotency.claim(s, at(LEASE), claimOptions("r-3")), {
              kind: "claimed",
              resourceId: "r-1",
              recovered: true,
            });
            // The takeover is a claim of its own: its lease starts again.
            assert.deepEqual(await idempotency.claim(s, at(LEASE + 1), claimOptions("r-4")), {
              kind: "in_flight",
            });
            const response = { status: 201, body: { id: "r-1" } };
            await idempotency.complete(s, response);
            assert.deepEqual(await idempotency.claim(s, at(LEASE * 3), claimOptions()), {
              kind: "replay",
              response,
            });
            // Forgotten after ttlMs: a new claim with a new resource.
            assert.deepEqual(
              await idempotency.claim(s, at(TTL * 2), claimOptions("r-5")),
              claimed("r-5"),
            );
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("concurrent takeovers of a dead claim: exactly one wins", async () => {
        const fx = await make();
        try {
          const { idempotency } = fx.subject;
          const s = scope(await newUserId(fx.subject));
          await idempotency.claim(s, at(0), claimOptions("r-1"));
          const results = await Promise.all(
            Array.from(
              { length: 8 },
              (_, i) => idempotency.claim(s, at(LEASE), claimOptions(`x${i}`)),
            ),
          );
          const claims = results.filter((r) => r.kind === "claimed");
          assert.deepEqual(claims, [{ kind: "claimed", resourceId: "r-1", recovered: true }]);
          assert.equal(results.filter((r) => r.kind === "in_flight").length, 7);
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
          await idempotency.claim(s, at(0), claimOptions());
          await idempotency.release(s);
          assert.deepEqual(await idempotency.claim(s, at(1_000), claimOptions()), claimed());

          const done = scope(userId);
          const response = { status: 201, body: { ok: true } };
          await idempotency.claim(done, at(0), claimOptions());
          await idempotency.complete(done, response);
          await idempotency.release(done);
          assert.deepEqual(await idempotency.claim(done, at(1_000), claimOptions()), {
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
            Array.from({ length: 10 }, () => idempotency.claim(s, at(0), claimOptions())),
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
