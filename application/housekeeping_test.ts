import assert from "node:assert/strict";
import { testCore } from "../testing/core.ts";
import { pruneExpired } from "./housekeeping.ts";

const HOUR = 3_600_000;
const POLICY = { outboxMs: HOUR, idempotencyMs: 24 * HOUR, sessionsMs: HOUR, parkedMs: HOUR };

Deno.test("pruneExpired() on the whole core", async (t) => {
  await t.step("drops the applied change log but never what the sync has not read", async () => {
    const core = await testCore(); // seeded and synced
    const before = core.changes.size;
    assert.ok(before > 0);
    await core.useCases.adjustInventory("BOK-001", { delta: 1 }); // not synced yet
    core.clock.advance(2 * HOUR);
    const report = await pruneExpired(core.ports, POLICY, 10);
    assert.equal(report.outbox, before, "every applied change, in batches of 10");
    assert.equal(core.changes.size, 1);
    const pass = await core.syncAll();
    assert.equal(pass.applied, 1, "the unread change survived and is applied");
  });

  await t.step("keeps a logged-in user's session and drops an expired one", async () => {
    const core = await testCore({ settings: { sessionTtlMs: HOUR } });
    const { token } = await core.useCases.register({
      email: "a@shop.example",
      password: "secret-pass-1",
    });
    core.clock.advance(2 * HOUR + 1);
    const { token: fresh } = await core.useCases.login({
      email: "a@shop.example",
      password: "secret-pass-1",
    });
    assert.equal((await pruneExpired(core.ports, POLICY)).sessions, 1);
    await assert.rejects(core.useCases.authenticate(token));
    assert.ok(await core.useCases.authenticate(fresh));
  });
});
