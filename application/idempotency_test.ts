import assert from "node:assert/strict";
import { IdempotencyInFlight, IdempotencyKeyMismatch } from "../domain/errors.ts";
import type { IdempotencyScope, StoredResponse } from "../ports/idempotency.ts";
import { testCore } from "../testing/core.ts";
import { fingerprintOf, IDEMPOTENCY_TTL_MS } from "./idempotency.ts";

const scope = (fingerprint = "fp-1", key = "key-1", userId = "user-1"): IdempotencyScope => ({
  userId,
  key,
  fingerprint,
});

/** An `execute` that counts its calls and answers `response`. */
function counted(response: StoredResponse = { status: 201, body: { id: "order-1" } }) {
  const run = () => {
    run.calls++;
    return Promise.resolve(structuredClone(response));
  };
  run.calls = 0;
  return run;
}

Deno.test("runIdempotent() runs a request at most once per user and key", async (t) => {
  await t.step("the same request again replays the first response without running", async () => {
    const { useCases } = await testCore({ seed: false });
    const execute = counted();
    const first = await useCases.runIdempotent(scope(), execute);
    assert.deepEqual(first, { status: 201, body: { id: "order-1" }, replayed: false });
    const second = await useCases.runIdempotent(scope(), counted({ status: 500, body: null }));
    assert.deepEqual(second, { status: 201, body: { id: "order-1" }, replayed: true });
    assert.equal(execute.calls, 1);
  });

  await t.step("the same key with another request fails with IdempotencyKeyMismatch", async () => {
    const { useCases } = await testCore({ seed: false });
    await useCases.runIdempotent(scope("fp-1"), counted());
    const other = counted();
    await assert.rejects(useCases.runIdempotent(scope("fp-2"), other), (error) => {
      assert.ok(error instanceof IdempotencyKeyMismatch);
      assert.equal(error.code, "idempotency_key_mismatch");
      assert.equal(error.key, "key-1");
      return true;
    });
    assert.equal(other.calls, 0);
    assert.equal((await useCases.runIdempotent(scope("fp-1"), counted())).replayed, true);
  });

  await t.step("a repeat while the first is running fails with IdempotencyInFlight", async () => {
    const { useCases } = await testCore({ seed: false });
    const gate = Promise.withResolvers<StoredResponse>();
    const first = useCases.runIdempotent(scope(), () => gate.promise);
    const repeat = counted();
    await assert.rejects(useCases.runIdempotent(scope(), repeat), (error) => {
      assert.ok(error instanceof IdempotencyInFlight);
      assert.equal(error.code, "idempotency_in_flight");
      assert.equal(error.key, "key-1");
      return true;
    });
    assert.equal(repeat.calls, 0);
    gate.resolve({ status: 201, body: { id: "order-1" } });
    assert.equal((await first).replayed, false);
    const later = await useCases.runIdempotent(scope(), repeat);
    assert.deepEqual(later, { status: 201, body: { id: "order-1" }, replayed: true });
    assert.equal(repeat.calls, 0);
  });

  await t.step("a 5xx response releases the key so the client can retry", async () => {
    const { useCases } = await testCore({ seed: false });
    const failing = await useCases.runIdempotent(scope(), counted({ status: 502, body: "x" }));
    assert.deepEqual(failing, { status: 502, body: "x", replayed: false });
    const retry = counted();
    const second = await useCases.runIdempotent(scope(), retry);
    assert.equal(second.replayed, false);
    assert.equal(second.status, 201);
    assert.equal(retry.calls, 1);
  });

  await t.step("a thrown error releases the key and propagates", async () => {
    const { useCases } = await testCore({ seed: false });
    await assert.rejects(
      useCases.runIdempotent(scope(), () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    const retry = counted();
    assert.equal((await useCases.runIdempotent(scope(), retry)).replayed, false);
    assert.equal(retry.calls, 1);
  });

  await t.step("a 4xx response is remembered and replayed", async () => {
    const { useCases } = await testCore({ seed: false });
    const conflict = { status: 409, body: { code: "insufficient_stock", skus: ["A"] } };
    await useCases.runIdempotent(scope(), counted(conflict));
    const retry = counted();
    const again = await useCases.runIdempotent(scope(), retry);
    assert.deepEqual(again, { ...conflict, replayed: true });
    assert.equal(retry.calls, 0);
  });

  await t.step("keys are per user", async () => {
    const { useCases } = await testCore({ seed: false });
    await useCases.runIdempotent(scope("fp-1", "key-1", "ada"), counted());
    const bob = counted({ status: 201, body: { id: "order-2" } });
    const result = await useCases.runIdempotent(scope("fp-2", "key-1", "bob"), bob);
    assert.deepEqual(result, { status: 201, body: { id: "order-2" }, replayed: false });
  });

  await t.step("keys are forgotten after 24 hours", async () => {
    const core = await testCore({ seed: false });
    await core.useCases.runIdempotent(scope(), counted());
    core.clock.advance(IDEMPOTENCY_TTL_MS);
    assert.equal((await core.useCases.runIdempotent(scope(), counted())).replayed, true);
    core.clock.advance(1);
    const fresh = counted();
    assert.equal((await core.useCases.runIdempotent(scope("fp-2"), fresh)).replayed, false);
    assert.equal(fresh.calls, 1);
  });

  await t.step("placing an order through it reserves stock once", async () => {
    const core = await testCore();
    const place = async () => {
      const order = await core.useCases.placeOrder({
        userId: "user-1",
        items: [{ sku: "BOK-010", qty: 2 }],
      });
      return { status: 201, body: { id: order.id } };
    };
    const first = await core.useCases.runIdempotent(scope(), place);
    const second = await core.useCases.runIdempotent(scope(), place);
    assert.deepEqual(second.body, first.body);
    assert.equal((await core.ports.inventory.get("BOK-010"))?.reserved, 2);
  });
});

Deno.test("fingerprintOf() tells requests apart by method, path and body", async (t) => {
  await t.step("equal requests share a fingerprint, any difference changes it", async () => {
    const base = await fingerprintOf("POST", "/orders", '{"items":[]}');
    assert.equal(await fingerprintOf("POST", "/orders", '{"items":[]}'), base);
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(await fingerprintOf("PUT", "/orders", '{"items":[]}'), base);
    assert.notEqual(await fingerprintOf("POST", "/payments", '{"items":[]}'), base);
    assert.notEqual(await fingerprintOf("POST", "/orders", '{"items":[1]}'), base);
  });
});
