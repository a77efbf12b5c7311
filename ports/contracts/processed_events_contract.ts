import assert from "node:assert/strict";
import type { ProcessedEvents } from "../payments/payment_events.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

export function processedEventsContract(
  label: string,
  make: MakeFixture<ProcessedEvents>,
  options: ContractOptions = {},
): void {
  defineContract("ProcessedEvents", label, make, options, async (step) => {
    await step("an event is recorded once; a redelivery is refused", async (events) => {
      const id = `evt_${crypto.randomUUID()}`;
      assert.equal(await events.has("stripe", id), false);
      assert.equal(await events.record("stripe", id, "payment_intent.succeeded", new Date()), true);
      assert.equal(await events.has("stripe", id), true);
      assert.equal(
        await events.record("stripe", id, "payment_intent.succeeded", new Date()),
        false,
      );
    });

    await step("concurrent deliveries of one event: exactly one records it", async (events) => {
      const id = `evt_${crypto.randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 5 }, () => events.record("stripe", id, "charge.refunded", new Date())),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    await step("the same id from another provider is another event", async (events) => {
      const id = `evt_${crypto.randomUUID()}`;
      await events.record("stripe", id, "x", new Date());
      assert.equal(await events.has("other", id), false);
      assert.equal(await events.record("other", id, "x", new Date()), true);
    });
  });
}
