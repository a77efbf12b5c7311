import assert from "node:assert/strict";
import { integrationUrl } from "../../testing/integration.ts";
import { int } from "./_db.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import {
  connectPostgres,
  isWriteAfterClose,
  PostgresHealthCheck,
  reconnectBackoff,
} from "./connect.ts";
import { isConnectionFailure } from "./_unavailable.ts";

const url = integrationUrl("DATABASE_URL");

Deno.test("int coerces bigint strings and refuses values a number cannot hold", () => {
  assert.equal(int.parse("42"), 42);
  assert.equal(int.parse(7), 7);
  assert.equal(int.parse("-3"), -3);
  assert.throws(() => int.parse("9007199254740993"));
  assert.throws(() => int.parse("1.5"));
  assert.throws(() => int.parse(null));
});

Deno.test("isConnectionFailure() tells an outage from a bug", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  assert.ok(isConnectionFailure(coded("ECONNREFUSED")));
  assert.ok(isConnectionFailure(coded("CONNECTION_CLOSED")));
  assert.ok(isConnectionFailure(new AggregateError([coded("ECONNREFUSED")])));
  assert.ok(!isConnectionFailure(coded("23505")));
  assert.ok(!isConnectionFailure(new Error("syntax error")));
  assert.ok(!isConnectionFailure("ECONNREFUSED"));
});

Deno.test("reconnectBackoff() grows from 50 ms and stays under its cap however many failures", () => {
  const backoff = reconnectBackoff(500);
  assert.equal(backoff(0), 0.05);
  assert.equal(backoff(1), 0.05);
  assert.equal(backoff(2), 0.1);
  assert.equal(backoff(4), 0.4);
  for (const retries of [5, 10, 50, 1_000]) assert.equal(backoff(retries), 0.5);
});

Deno.test({
  name: "connectPostgres()",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    await t.step("applies the statement timeout, UTC and bigint-as-string", async () => {
      const sql = connectPostgres({ url: url!, poolSize: 2, statementTimeoutMs: 200 });
      try {
        const [row] = await sql`
          SELECT current_setting('statement_timeout') AS timeout,
                 current_setting('TimeZone') AS zone, 9007199254740993::bigint AS big`;
        assert.deepEqual({ ...row }, { timeout: "200ms", zone: "UTC", big: "9007199254740993" });
        await assert.rejects(sql`SELECT pg_sleep(2)`, /statement timeout/);
        await new PostgresHealthCheck(sql).check();
      } finally {
        await sql.end({ timeout: 5 });
      }
    });

    await t.step("the health check fails fast when PostgreSQL is unreachable", async () => {
      const dead = new URL(url!);
      dead.port = "1";
      const sql = connectPostgres({ url: dead.toString(), connectTimeoutS: 1 });
      try {
        const started = performance.now();
        await assert.rejects(new PostgresHealthCheck(sql, 1_500).check());
        assert.ok(performance.now() - started < 2_000);
      } finally {
        await sql.end({ timeout: 1 });
      }
    });

    await t.step(
      "queries and transactions reject as DependencyUnavailable when unreachable",
      async () => {
        const dead = new URL(url!);
        dead.port = "1";
        const sql = connectPostgres({ url: dead.toString(), connectTimeoutS: 1 });
        try {
          const isPostgresDown = (error: unknown) =>
            error instanceof DependencyUnavailable && error.dependency === "postgres";
          await assert.rejects(sql`SELECT 1`, isPostgresDown);
          await assert.rejects(sql.unsafe("SELECT 1"), isPostgresDown);
          await assert.rejects(sql.begin((tx) => tx`SELECT 1`), isPostgresDown);
        } finally {
          await sql.end({ timeout: 1 });
        }
        // A failure that is not an outage passes unchanged, and fragments still compose.
        const live = connectPostgres({ url: url!, poolSize: 1 });
        try {
          await assert.rejects(
            live`SELECT * FROM no_such_table_here`,
            (error: unknown) => !(error instanceof DependencyUnavailable),
          );
          const [row] = await live`SELECT 1 AS one ${live`WHERE true`}`;
          assert.equal(row.one, 1);
        } finally {
          await live.end({ timeout: 5 });
        }
      },
    );
  },
});

Deno.test("isWriteAfterClose() knows the driver's write-after-close error and nothing else", () => {
  const thrown = (message: string, frame: string) =>
    Object.assign(new TypeError(message), { stack: `TypeError: ${message}\n    at ${frame}` });
  const message = "Cannot read properties of null (reading 'write')";
  const cached = "Immediate.nextWrite (file:///root/.cache/deno/npm/registry.npmjs.org/" +
    "postgres/3.4.9/src/connection.js:255:22)";
  assert.ok(isWriteAfterClose(thrown(message, cached)));
  assert.ok(isWriteAfterClose(
    thrown(message, "Immediate.nextWrite (/app/node_modules/postgres/src/connection.js:255:22)"),
  ));
  assert.ok(!isWriteAfterClose(thrown(message, "nextWrite (file:///app/our_code.ts:1:1)")));
  assert.ok(!isWriteAfterClose(thrown("x is not a function", cached)));
  assert.ok(!isWriteAfterClose(new Error(message)));
});

Deno.test("containWriteAfterClose() keeps the process alive through that error only", async (t) => {
  // A stand-in for the driver's file, at a path shaped like the real one, whose queued
  // write fails the way the driver's does once the socket is gone.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/postgres/3.4.9/src`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/postgres/3.4.9/src/connection.js`,
      "import { setImmediate } from 'node:timers';\n" +
        "export function queueWrite() {\n" +
        "  const socket = null;\n" +
        "  setImmediate(function nextWrite() { socket.write('x'); });\n" +
        "}\n",
    );
    const connect = new URL("./connect.ts", import.meta.url).href;
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const child = async (body: string) => {
      const script = `${dir}/child.ts`;
      await Deno.writeTextFile(
        script,
        `import { containWriteAfterClose } from ${JSON.stringify(connect)};\n` +
          `import { queueWrite } from "./postgres/3.4.9/src/connection.js";\n` +
          `containWriteAfterClose((e) => console.log("contained:", e.message));\n` +
          `${body}\nsetTimeout(() => console.log("alive"), 50);\n`,
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--config", config, "--allow-read", "--allow-env", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr };
    };

    await t.step("the driver's write after close is logged and survived", async () => {
      const { code, stdout, stderr } = await child("queueWrite();");
      assert.equal(code, 0, stderr);
      assert.match(stdout, /contained: Cannot read properties of null \(reading 'write'\)/);
      assert.match(stdout, /alive/);
    });

    await t.step("any other uncaught error still ends the process", async () => {
      const { code, stdout, stderr } = await child(
        "setTimeout(() => { throw new TypeError('a bug of ours'); }, 0);",
      );
      assert.notEqual(code, 0);
      assert.match(stderr, /Uncaught TypeError: a bug of ours/);
      assert.doesNotMatch(stdout, /alive|contained/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
