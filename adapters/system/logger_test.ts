import assert from "node:assert/strict";
import { JsonLogger, type LogLevel } from "./logger.ts";

function capture() {
  const lines: { level: LogLevel; entry: Record<string, unknown> }[] = [];
  const logger = new JsonLogger({
    write: (level, line) => lines.push({ level, entry: JSON.parse(line) }),
    now: () => new Date("2025-01-02T03:04:05.000Z"),
  });
  return { logger, lines };
}

Deno.test("JsonLogger", async (t) => {
  await t.step("writes one JSON object per entry with level, msg, time and fields", () => {
    const { logger, lines } = capture();
    logger.info("order placed", { orderId: "o1", totalCents: 1299 });
    logger.error("boom", { requestId: "r1" });
    assert.deepEqual(lines, [
      {
        level: "info",
        entry: {
          level: "info",
          msg: "order placed",
          time: "2025-01-02T03:04:05.000Z",
          orderId: "o1",
          totalCents: 1299,
        },
      },
      {
        level: "error",
        entry: { level: "error", msg: "boom", time: "2025-01-02T03:04:05.000Z", requestId: "r1" },
      },
    ]);
  });

  await t.step("redacts secret fields at any depth and in any case", () => {
    const { logger, lines } = capture();
    logger.warn("login", {
      password: "hunter2",
      user: { email: "a@b.c", passwordHash: "scrypt$x", tokens: [{ token: "abc" }] },
      headers: { Authorization: "Bearer abc" },
    });
    const text = JSON.stringify(lines);
    for (const secret of ["hunter2", "scrypt$x", "abc"]) assert.ok(!text.includes(secret));
    assert.equal(lines[0].entry.password, "[REDACTED]");
    assert.equal((lines[0].entry.user as Record<string, unknown>).email, "a@b.c");
  });

  await t.step("serialises errors, dates, bigints and cycles without throwing", () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.error("failed", {
      err: new Error("nope"),
      at: new Date(0),
      n: 10n,
      loop,
      level: "spoof",
    });
    const e = lines[0].entry;
    assert.equal(e.level, "error");
    assert.equal(e.field_level, "spoof");
    assert.equal((e.err as Record<string, unknown>).message, "nope");
    assert.equal(e.at, "1970-01-01T00:00:00.000Z");
    assert.equal(e.n, "10");
    assert.equal((e.loop as Record<string, unknown>).self, "[Circular]");
  });

  await t.step("silent drops everything", () => {
    let calls = 0;
    const logger = new JsonLogger({ silent: true, write: () => calls++ });
    logger.info("x");
    logger.error("y", { password: "p" });
    assert.equal(calls, 0);
  });
});
