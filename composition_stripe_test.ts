import assert from "node:assert/strict";
import { buildRuntime } from "./composition.ts";
import { parseConfig } from "./config.ts";
import type { LogFields, Logger } from "./ports/logger.ts";

class Recording implements Logger {
  readonly lines: string[] = [];
  #push(level: string, message: string, fields?: LogFields) {
    this.lines.push(JSON.stringify({ level, message, ...fields }));
  }
  info(m: string, f?: LogFields) {
    this.#push("info", m, f);
  }
  warn(m: string, f?: LogFields) {
    this.#push("warn", m, f);
  }
  error(m: string, f?: LogFields) {
    this.#push("error", m, f);
  }
}

Deno.test("composition wires Stripe only when STRIPE_SECRET_KEY is set", async (t) => {
  await t.step("without the key: the test provider only, no webhooks", async () => {
    const runtime = await buildRuntime(parseConfig({ SEED: "0" }), new Recording());
    assert.deepEqual([...runtime.ports.gateways.keys()], ["test"]);
    assert.equal(runtime.ports.paymentEvents, undefined);
    await runtime.close();
  });

  await t.step("with the key and the webhook secret: stripe, verified webhooks", async () => {
    const key = "sk_test_composition_secret_value";
    const logger = new Recording();
    const runtime = await buildRuntime(
      parseConfig({
        SEED: "0",
        STRIPE_SECRET_KEY: key,
        STRIPE_WEBHOOK_SECRET: "whsec_composition_secret",
        STRIPE_API_BASE: "http://127.0.0.1:12111",
      }),
      logger,
    );
    assert.deepEqual([...runtime.ports.gateways.keys()].sort(), ["stripe", "test"]);
    assert.ok(runtime.ports.paymentEvents?.has("stripe"));
    assert.ok(runtime.ports.processedEvents);
    const shown = JSON.stringify(runtime.adapters) + logger.lines.join("\n");
    assert.match(JSON.stringify(runtime.adapters), /127\.0\.0\.1:12111/);
    assert.ok(!shown.includes(key) && !shown.includes("whsec_composition_secret"));
    await runtime.close();
  });
});
