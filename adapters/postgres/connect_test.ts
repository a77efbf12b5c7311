import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { setImmediate } from "node:timers";
import postgres from "postgres";
import { integrationUrl } from "../../testing/integration.ts";
import { int } from "./_db.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { connectPostgres, PostgresHealthCheck, reconnectBackoff } from "./connect.ts";
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

Deno.test("the linked postgres.js recovers a connection whose socket died with a write queued", async (t) => {
  // postgres.js writes its startup message through the deferred (setImmediate) path. Each
  // attempt gets a stand-in socket (the driver's `socket` option: no server needed) that
  // records the bytes written to it; `dies` closes one before the queued write is flushed.
  // The published 3.4.9 then never flushes again, so the reconnect writes nothing and the
  // pool slot is dead for good; vendor/postgres carries the fix (see PATCHED.md).
  const attempts = async (dies: (attempt: number) => boolean): Promise<number[]> => {
    const written: number[] = [];
    const socket = () => {
      const attempt = written.push(0) - 1;
      const s = Object.assign(new EventEmitter(), {
        readyState: "open",
        setKeepAlive: () => {},
        write: (bytes: Uint8Array | string) => {
          written[attempt] += typeof bytes === "string" ? bytes.length : bytes.byteLength;
          return true;
        },
        end: () => {},
        destroy: () => {},
      });
      // Queued now, so it runs before the driver's own flush of the startup message.
      if (dies(attempt)) setImmediate(() => s.emit("close", false));
      return s;
    };
    const sql = postgres({
      host: "stand-in.invalid",
      max: 1,
      connect_timeout: 1,
      backoff: 0.01,
      socket,
    } as unknown as postgres.Options<Record<string, never>>);
    const pending = sql`SELECT 1`.catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql.end({ timeout: 0 }).catch(() => {});
    await pending;
    return written;
  };

  await t.step("control: an undisturbed connection writes its startup message", async () => {
    const written = await attempts(() => false);
    assert.ok(written[0] > 0, `${written}`);
  });

  await t.step("after the socket died mid-write, the reconnect writes again", async () => {
    const written = await attempts((attempt) => attempt === 0);
    assert.ok(written.length >= 2, `the driver reconnected: ${written}`);
    assert.equal(written[0], 0, "the first socket died before its write was flushed");
    assert.ok(written[1] > 0, `the reconnect wrote nothing (${written}): the patch is off`);
  });
});

Deno.test("a multi-host URL with no reachable host answers 503 at once instead of cycling forever", async () => {
  // Ports 1 and 2 of loopback refuse connections. The linked postgres.js tries each host once
  // per attempt (polycart patch); unpatched, it alternated between them until a host answered,
  // so every query waited for as long as the whole outage lasted.
  const sql = connectPostgres({
    url: "postgres://u:p@127.0.0.1:1,127.0.0.1:2/db?target_session_attrs=read-write",
    connectTimeoutS: 30,
  });
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const hang = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("still waiting after 3 s")), 3_000);
    });
    await assert.rejects(Promise.race([sql`SELECT 1`, hang]), DependencyUnavailable);
    assert.ok(performance.now() - started < 3_000);
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 1 });
  }
});
