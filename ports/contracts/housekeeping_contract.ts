import assert from "node:assert/strict";
import type { ChangeFeed, SyncStateStore } from "../search/change_feed.ts";
import type { Housekeeping, RetentionPolicy } from "../housekeeping.ts";
import type { IdempotencyStore } from "../idempotency.ts";
import type { SessionStore, UserStore } from "../identity/users.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";
import { testUser } from "./users_contract.ts";

/** The stores one housekeeping prunes, written through their own ports. */
export interface HousekeepingFixture {
  readonly housekeeping: Housekeeping;
  readonly idempotency: IdempotencyStore;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly syncState: SyncStateStore;
  /** The outbox as its feed; its consumer's checkpoint is saved under `outbox.name`. */
  readonly outbox: ChangeFeed;
  emit(sku: string, at: Date): Promise<void>;
  /** Rows held per kind (parked events resolved or not). */
  counts(): Promise<{ outbox: number; idempotencyKeys: number; sessions: number; parked: number }>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms);
const POLICY: RetentionPolicy = {
  outboxMs: HOUR,
  idempotencyMs: DAY,
  sessionsMs: HOUR,
  parkedMs: HOUR,
};
const LIMIT = 1_000;
const claimOptions = { ttlMs: DAY, leaseMs: 60_000 };

async function consumeAll(fx: HousekeepingFixture, upTo = Infinity): Promise<void> {
  const saved = await fx.syncState.checkpoint(fx.outbox.name);
  // Waits a little: the outbox holds rows back while older transactions still run.
  const events = (await fx.outbox.poll(saved?.checkpoint ?? null, 10_000, 2_000)).slice(0, upTo);
  const last = events.at(-1);
  if (last) await fx.syncState.saveCheckpoint(fx.outbox.name, last.checkpoint, last.at);
}

export function housekeepingContract(
  label: string,
  make: MakeFixture<HousekeepingFixture>,
  options: ContractOptions = {},
): void {
  defineContract("Housekeeping", label, make, options, async (step) => {
    await step("outbox rows go only once consumed and past the retention", async (fx) => {
      for (let i = 0; i < 4; i++) await fx.emit(`SKU-${i}`, at(i * 1_000));
      const now = at(2 * HOUR);
      assert.equal((await fx.housekeeping.prune(now, POLICY, LIMIT)).outbox, 0, "no checkpoint");
      await consumeAll(fx, 2);
      assert.equal((await fx.housekeeping.prune(now, POLICY, LIMIT)).outbox, 2);
      assert.equal((await fx.counts()).outbox, 2);
      // What is left is exactly what the consumer has not read yet.
      const saved = await fx.syncState.checkpoint(fx.outbox.name);
      const rest = await fx.outbox.poll(saved!.checkpoint, 100, 5_000);
      assert.deepEqual(rest.map((e) => e.sku), ["SKU-2", "SKU-3"]);
      await consumeAll(fx);
      assert.equal(
        (await fx.housekeeping.prune(at(HOUR), POLICY, LIMIT)).outbox,
        0,
        "consumed but within the retention",
      );
      assert.equal((await fx.housekeeping.prune(now, POLICY, 1)).outbox, 1, "limit holds");
      assert.equal((await fx.housekeeping.prune(now, POLICY, LIMIT)).outbox, 1);
      await fx.emit("SKU-4", at(3 * HOUR));
      const fresh = await fx.outbox.poll(
        (await fx.syncState.checkpoint(fx.outbox.name))!.checkpoint,
        10,
        5_000,
      );
      assert.deepEqual(fresh.map((e) => e.sku), ["SKU-4"], "the feed resumes after pruning");
    });

    await step("idempotency keys stay for their lifetime and while in flight", async (fx) => {
      const scope = (key: string) => ({ userId: "u1", key, fingerprint: `fp-${key}` });
      await fx.idempotency.claim(scope("done"), at(0), { ...claimOptions, resourceId: "r1" });
      await fx.idempotency.complete(scope("done"), { status: 201, body: { ok: true } });
      await fx.idempotency.claim(scope("young"), at(12 * HOUR), {
        ...claimOptions,
        resourceId: "r2",
      });
      await fx.idempotency.complete(scope("young"), { status: 201, body: {} });
      // Claimed long ago, taken over recently by its retry: still in flight.
      await fx.idempotency.claim(scope("retried"), at(0), { ...claimOptions, resourceId: "r3" });
      await fx.idempotency.claim(scope("retried"), at(DAY - 1), {
        ...claimOptions,
        resourceId: "r3",
      });

      assert.equal((await fx.housekeeping.prune(at(DAY), POLICY, LIMIT)).idempotencyKeys, 0);
      const report = await fx.housekeeping.prune(at(DAY + 1), POLICY, LIMIT);
      assert.equal(report.idempotencyKeys, 1);
      assert.equal((await fx.counts()).idempotencyKeys, 2);
      const replay = await fx.idempotency.claim(scope("young"), at(DAY + 1), {
        ...claimOptions,
        resourceId: "x",
      });
      assert.equal(replay.kind, "replay", "a key within its 24 h still replays");
    });

    await step("sessions go after they expired or were revoked, live ones stay", async (fx) => {
      const user = await fx.users.create(testUser());
      const session = (hash: string, expiresAt: Date) => ({
        tokenHash: hash.padEnd(64, "0"),
        userId: user.id,
        createdAt: at(0),
        expiresAt,
        revokedAt: null,
      });
      await fx.sessions.create(session("a", at(HOUR)));
      await fx.sessions.create(session("b", at(10 * HOUR)));
      await fx.sessions.create(session("c", at(10 * HOUR)));
      await fx.sessions.revoke("b".padEnd(64, "0"), at(HOUR));
      const report = await fx.housekeeping.prune(at(2 * HOUR + 1), POLICY, LIMIT);
      assert.equal(report.sessions, 2);
      assert.ok(await fx.sessions.find("c".padEnd(64, "0")), "the live session stays");
    });

    await step(
      "resolved parked events go after the retention, unresolved ones never",
      async (fx) => {
        const parked = (checkpoint: string, sku: string) => ({
          feed: fx.outbox.name,
          event: { source: "inventory" as const, sku, at: at(0), checkpoint },
          error: "boom",
          attempts: 3,
          parkedAt: at(0),
        });
        await fx.syncState.park(parked("1:1", "SKU-A"));
        await fx.syncState.park(parked("1:2", "SKU-B"));
        await fx.syncState.resolve(fx.outbox.name, ["SKU-A"], at(HOUR));
        assert.equal((await fx.housekeeping.prune(at(2 * HOUR), POLICY, LIMIT)).parkedEvents, 0);
        assert.equal(
          (await fx.housekeeping.prune(at(2 * HOUR + 1), POLICY, LIMIT)).parkedEvents,
          1,
        );
        assert.equal((await fx.housekeeping.prune(at(100 * DAY), POLICY, LIMIT)).parkedEvents, 0);
        assert.deepEqual((await fx.syncState.parked(10)).map((p) => p.event.sku), ["SKU-B"]);
      },
    );

    await step("over many rounds of traffic and pruning the tables stay bounded", async (fx) => {
      const user = await fx.users.create(testUser());
      let now = 0;
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 10; i++) {
          const n = `${round}-${i}`;
          await fx.emit(`SKU-${n}`, at(now));
          const scope = { userId: user.id, key: `k-${n}`, fingerprint: "fp" };
          await fx.idempotency.claim(scope, at(now), { ...claimOptions, resourceId: n });
          await fx.idempotency.complete(scope, { status: 201, body: {} });
          await fx.sessions.create({
            tokenHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, "0"),
            userId: user.id,
            createdAt: at(now),
            expiresAt: at(now + HOUR),
            revokedAt: null,
          });
        }
        await consumeAll(fx);
        now += DAY;
        await fx.housekeeping.prune(at(now + HOUR + 1), POLICY, LIMIT);
        const counts = await fx.counts();
        assert.ok(counts.outbox <= 10, `outbox ${counts.outbox} after round ${round}`);
        assert.ok(counts.idempotencyKeys <= 10, `keys ${counts.idempotencyKeys}`);
        assert.ok(counts.sessions <= 10, `sessions ${counts.sessions}`);
      }
    });
  });
}
