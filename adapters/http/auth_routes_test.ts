import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

Deno.test("POST /auth/register creates a customer and opens a session", async (t) => {
  const h = await harness({ seed: false });

  await t.step("201 with the user and a token, never a hash", async () => {
    const res = await h.call("POST", "/auth/register", {
      body: { email: "Ada@Example.com", password: "analytical engine", displayName: " Ada " },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ["token", "user"]);
    assert.deepEqual(Object.keys(res.body.user).sort(), [
      "createdAt",
      "displayName",
      "email",
      "id",
      "role",
    ]);
    assert.equal(res.body.user.email, "ada@example.com");
    assert.equal(res.body.user.displayName, "Ada");
    assert.equal(res.body.user.role, "customer");
    assert.equal(res.body.user.createdAt, "2025-03-03T10:00:00.000Z");
    assert.equal(typeof res.body.token, "string");
    assert.ok(!/scrypt|passwordHash/i.test(res.text));
  });

  await t.step("409 when the email is taken, whatever its case", async () => {
    const res = await h.call("POST", "/auth/register", {
      body: { email: "ADA@example.com", password: "another password" },
    });
    assertProblem(res, 409, "email_taken");
  });

  await t.step("400 naming email and password when both are bad", async () => {
    const res = await h.call("POST", "/auth/register", {
      body: { email: "not-an-email", password: "short" },
    });
    assert.deepEqual(invalidFields(res).sort(), ["email", "password"]);
  });

  await t.step("400 for an empty body, naming the required fields", async () => {
    const res = await h.call("POST", "/auth/register");
    assert.deepEqual(invalidFields(res).sort(), ["email", "password"]);
  });
});

Deno.test("POST /auth/login opens a session for the right password only", async (t) => {
  const h = await harness({ seed: false });
  await h.register("grace@polycart.test");

  await t.step("200 with user and token", async () => {
    const res = await h.call("POST", "/auth/login", {
      body: { email: "GRACE@polycart.test", password: "correct horse battery" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.email, "grace@polycart.test");
    assert.equal((await h.call("GET", "/me", { token: res.body.token })).status, 200);
  });

  await t.step("401 for a wrong password or unknown email, with a Bearer challenge", async () => {
    for (const email of ["grace@polycart.test", "nobody@polycart.test"]) {
      const res = await h.call("POST", "/auth/login", {
        body: { email, password: "wrong password" },
      });
      assertProblem(res, 401, "invalid_credentials");
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    }
  });

  await t.step("400 when fields are missing", async () => {
    const res = await h.call("POST", "/auth/login", { body: { email: "grace@polycart.test" } });
    assert.deepEqual(invalidFields(res), ["password"]);
  });
});

Deno.test("POST /auth/logout revokes the token", async () => {
  const h = await harness({ seed: false });
  const { token } = await h.register();
  const res = await h.call("POST", "/auth/logout", { token });
  assert.equal(res.status, 204);
  assert.equal(res.text, "");
  const after = await h.call("GET", "/me", { token });
  assertProblem(after, 401, "unauthenticated");
  assertProblem(await h.call("POST", "/auth/logout"), 401, "unauthenticated");
});

Deno.test("GET /me answers the caller's profile; 401 without a valid token", async (t) => {
  const h = await harness({ seed: false });
  const { token, userId } = await h.register("me@polycart.test");

  await t.step("profile", async () => {
    const res = await h.call("GET", "/me", { token });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, userId);
    assert.equal(res.body.email, "me@polycart.test");
    assert.ok(!("passwordHash" in res.body));
  });

  await t.step("missing token", async () => {
    const res = await h.call("GET", "/me");
    assertProblem(res, 401, "unauthenticated");
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="polycart"');
  });

  await t.step("unknown token, or not a bearer scheme", async () => {
    assertProblem(await h.call("GET", "/me", { token: "forged" }), 401, "unauthenticated");
    const basic = await h.call("GET", "/me", { headers: { Authorization: "Basic YTpi" } });
    assertProblem(basic, 401, "unauthenticated");
  });

  await t.step("expired session", async () => {
    h.clock.advance(24 * 3_600_000 + 1);
    assertProblem(await h.call("GET", "/me", { token }), 401, "unauthenticated");
  });
});

Deno.test("GET /me/rank answers null before any purchase", async () => {
  const h = await harness({ seed: false });
  const { token } = await h.register();
  const res = await h.call("GET", "/me/rank", { token });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { rank: null, score: 0 });
  assertProblem(await h.call("GET", "/me/rank"), 401, "unauthenticated");
});
