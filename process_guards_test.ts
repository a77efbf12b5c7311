import assert from "node:assert/strict";
import type { LogFields } from "./ports/logger.ts";
import { guardProcess } from "./process_guards.ts";

function recorder() {
  const errors: { message: string; fields?: LogFields }[] = [];
  return {
    errors,
    logger: {
      info() {},
      warn() {},
      error: (message: string, fields?: LogFields) => errors.push({ message, fields }),
    },
  };
}

const rejection = (reason: unknown) => {
  const promise = Promise.reject(reason);
  promise.catch(() => {});
  return new PromiseRejectionEvent("unhandledrejection", { promise, reason, cancelable: true });
};

Deno.test("guardProcess() keeps the process up on stray errors, logging them throttled", async (t) => {
  await t.step("an unhandled rejection is prevented (no exit) and logged with its stack", () => {
    const { errors, logger } = recorder();
    const target = new EventTarget();
    const { counts } = guardProcess(logger, { target, now: () => 0 });
    const event = rejection(new Error("CONNECTION_ENDED"));
    target.dispatchEvent(event);
    assert.equal(event.defaultPrevented, true);
    assert.equal(counts.unhandledRejections, 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /unhandled promise rejection/);
    assert.match(String(errors[0].fields?.error), /CONNECTION_ENDED[\s\S]*at /);
  });

  await t.step("an uncaught error is prevented and logged", () => {
    const { errors, logger } = recorder();
    const target = new EventTarget();
    const { counts } = guardProcess(logger, { target, now: () => 0 });
    const event = new ErrorEvent("error", { error: new TypeError("x is null"), cancelable: true });
    target.dispatchEvent(event);
    assert.equal(event.defaultPrevented, true);
    assert.equal(counts.uncaughtErrors, 1);
    assert.match(String(errors[0].fields?.error), /TypeError: x is null/);
  });

  await t.step("a burst logs one line a second per kind, naming how many were not", () => {
    const { errors, logger } = recorder();
    const target = new EventTarget();
    let at = 0;
    const { counts } = guardProcess(logger, { target, now: () => at });
    for (let i = 0; i < 500; i++) target.dispatchEvent(rejection(new Error(`timeout ${i}`)));
    target.dispatchEvent(new ErrorEvent("error", { error: new Error("e"), cancelable: true }));
    assert.equal(errors.length, 2);
    at = 999;
    target.dispatchEvent(rejection("late"));
    assert.equal(errors.length, 2);
    at = 1_000;
    target.dispatchEvent(rejection("next second"));
    assert.equal(errors.length, 3);
    assert.deepEqual(errors[2].fields, {
      error: "next second",
      total: 502,
      suppressedSinceLastLine: 500,
    });
    assert.equal(counts.unhandledRejections, 502);
  });

  await t.step("a real unhandled rejection in this process does not fail it", async () => {
    const { errors, logger } = recorder();
    const { remove } = guardProcess(logger);
    try {
      Promise.reject(new Error("nobody awaits this"));
      await new Promise((r) => setTimeout(r, 10));
      assert.match(String(errors[0]?.fields?.error), /nobody awaits this/);
    } finally {
      remove();
    }
  });
});
