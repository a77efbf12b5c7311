import assert from "node:assert/strict";
import type { LogFields } from "./ports/logger.ts";
import { keepListening, type Listening } from "./listener.ts";

function fakeServers() {
  const servers: { end: (error?: Error) => void; shutdowns: number }[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  let failNext = 0;
  const start = (): Listening => {
    if (failNext > 0) {
      failNext--;
      throw new Error("Too many open files (os error 24)");
    }
    let end!: (error?: Error) => void;
    const finished = new Promise<void>((resolve, reject) => {
      end = (error) => error ? reject(error) : resolve();
    });
    const server = { end, shutdowns: 0 };
    servers.push(server);
    for (const w of waiting.filter((w) => servers.length >= w.n)) w.resolve();
    return {
      finished,
      shutdown: () => {
        server.shutdowns++;
        end();
        return finished.catch(() => {});
      },
    };
  };
  return {
    servers,
    start,
    failNext: (n: number) => failNext = n,
    started: (n: number) =>
      servers.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ n, resolve })),
  };
}

function logs() {
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

Deno.test("keepListening() starts the listener again when it dies", async (t) => {
  await t.step("a listener failing with EMFILE is started again and logged", async () => {
    const fake = fakeServers();
    const { errors, logger } = logs();
    const kept = keepListening(fake.start, logger, { retryMs: 0 });
    fake.servers[0].end(new Error("Http: Error: Too many open files (os error 24)"));
    await fake.started(2);
    assert.equal(kept.restarts, 1);
    assert.match(errors[0].message, /listener failed; listening again/);
    assert.match(String(errors[0].fields?.error), /Too many open files/);
    await kept.shutdown();
    assert.equal(fake.servers[1].shutdowns, 1);
  });

  await t.step("a start that fails is tried again until it works", async () => {
    const fake = fakeServers();
    const { errors, logger } = logs();
    const kept = keepListening(fake.start, logger, { retryMs: 0 });
    fake.failNext(3);
    fake.servers[0].end(new Error("accept failed"));
    await fake.started(2);
    assert.equal(errors.filter((e) => /could not start/.test(e.message)).length, 3);
    assert.equal(kept.restarts, 1);
    await kept.shutdown();
  });

  await t.step("shutting down drains the listener and starts no other", async () => {
    const fake = fakeServers();
    const { errors, logger } = logs();
    const kept = keepListening(fake.start, logger, { retryMs: 0 });
    await kept.shutdown();
    assert.equal(fake.servers[0].shutdowns, 1);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(fake.servers.length, 1);
    assert.equal(kept.restarts, 0);
    assert.deepEqual(errors, []);
  });

  await t.step("the first start's error goes to the caller (a busy port stops start-up)", () => {
    const fake = fakeServers();
    fake.failNext(1);
    assert.throws(() => keepListening(fake.start, logs().logger), /Too many open files/);
  });
});
