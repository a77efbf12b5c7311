import assert from "node:assert/strict";
import { assertProblem, harness } from "./_harness_test.ts";
import { OVERLOAD_RETRY_AFTER_S } from "./problem.ts";

/** A promise resolved from outside, and one that settles when `n` calls have arrived. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => open = r);
  let arrivals = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    open,
    async pass() {
      arrivals++;
      for (const w of waiters.filter((w) => arrivals >= w.n)) w.resolve();
      await opened;
    },
    arrived(n: number): Promise<void> {
      return arrivals >= n ? Promise.resolve() : new Promise((resolve) => {
        waiters.push({ n, resolve });
      });
    },
  };
}

/** An app whose logins (writes) wait at a gate, and a login call that gets there. */
async function heldLogins(limits: { maxInFlight?: number; maxWritesInFlight: number }) {
  const held = gate();
  const h = await harness({
    ...limits,
    override: (uc) => ({
      ...uc,
      login: async (...args: Parameters<typeof uc.login>) => {
        await held.pass();
        return uc.login(...args);
      },
    }),
  });
  const login = () =>
    h.call("POST", "/auth/login", {
      body: { email: "a@polycart.test", password: "whatever-it-is" },
    });
  return { h, held, login };
}

Deno.test("admission control sheds requests over MAX_REQUESTS_IN_FLIGHT with 503", async (t) => {
  const held = gate();
  const h = await harness({
    maxInFlight: 2,
    override: (uc) => ({
      ...uc,
      listProducts: async (...args: Parameters<typeof uc.listProducts>) => {
        await held.pass();
        return uc.listProducts(...args);
      },
    }),
  });

  // Two browses are admitted and wait inside the use case: the process is at its limit.
  const admitted = [h.call("GET", "/products"), h.call("GET", "/products")];
  await held.arrived(2);

  await t.step(
    "one more is answered 503 overloaded with Retry-After, without queueing",
    async () => {
      const shed = await h.call("GET", "/products/ANY-SKU");
      assertProblem(shed, 503, "overloaded");
      assert.equal(shed.headers.get("retry-after"), String(OVERLOAD_RETRY_AFTER_S));
      assert.match(shed.body.detail, /2 requests at once/);
      assert.ok(shed.headers.get("x-request-id"));
      const write = await h.call("POST", "/auth/login", {
        body: { email: "a@polycart.test", password: "whatever-it-is" },
      });
      assertProblem(write, 503, "overloaded");
    },
  );

  await t.step("the probes still answer", async () => {
    assert.equal((await h.call("GET", "/health")).status, 200);
    assert.equal((await h.call("GET", "/ready")).status, 200);
  });

  await t.step("once the held requests finish, requests are admitted again", async () => {
    held.open();
    for (const res of await Promise.all(admitted)) assert.equal(res.status, 200, res.text);
    // Shed requests took no slot and finished ones gave theirs back: these are all admitted.
    for (let i = 0; i < 5; i++) assert.equal((await h.call("GET", "/products")).status, 200);
  });
});

Deno.test("admission control is off unless a limit is given", async () => {
  const held = gate();
  const h = await harness({
    override: (uc) => ({
      ...uc,
      listProducts: async (...args: Parameters<typeof uc.listProducts>) => {
        await held.pass();
        return uc.listProducts(...args);
      },
    }),
  });
  const calls = Array.from({ length: 50 }, () => h.call("GET", "/products"));
  await held.arrived(50);
  held.open();
  for (const res of await Promise.all(calls)) assert.equal(res.status, 200);
});

Deno.test("writes have a limit of their own: they cannot take the reads' slots", async (t) => {
  const { h, held, login } = await heldLogins({ maxInFlight: 4, maxWritesInFlight: 2 });
  const admitted = [login(), login()];
  await held.arrived(2);

  await t.step("a third write is shed with 503 overloaded naming the write limit", async () => {
    const shed = await login();
    assertProblem(shed, 503, "overloaded");
    assert.match(shed.body.detail, /2 writes at once/);
  });

  await t.step("reads are still admitted while the writes are held", async () => {
    for (let i = 0; i < 3; i++) assert.equal((await h.call("GET", "/products")).status, 200);
  });

  await t.step("once the writes finish, writes are admitted again", async () => {
    held.open();
    for (const res of await Promise.all(admitted)) assert.equal(res.status, 401, res.text);
    assertProblem(await login(), 401, "invalid_credentials");
  });
});

Deno.test("a writes limit applies without a request limit", async () => {
  const { held, login } = await heldLogins({ maxWritesInFlight: 1 });
  const admitted = login();
  await held.arrived(1);
  const shed = await login();
  assertProblem(shed, 503, "overloaded");
  assert.match(shed.body.detail, /1 writes at once/);
  held.open();
  assert.equal((await admitted).status, 401);
});
