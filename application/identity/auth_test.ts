import assert from "node:assert/strict";
import {
  EmailTaken,
  InvalidCredentials,
  Unauthenticated,
  WeakPassword,
} from "../../domain/errors.ts";
import { testCore } from "../../testing/core.ts";

const PASSWORD = "correct horse battery";

Deno.test("register() creates a customer with a live session", async (t) => {
  await t.step("normalizes the email, trims the display name and opens a session", async () => {
    const { useCases } = await testCore({ seed: false });
    const { user, token } = await useCases.register({
      email: "  Ada@Example.COM ",
      password: PASSWORD,
      displayName: "  Ada Lovelace ",
    });
    assert.equal(user.email, "ada@example.com");
    assert.equal(user.displayName, "Ada Lovelace");
    assert.equal(user.role, "customer");
    const principal = await useCases.authenticate(token);
    assert.equal(principal.user.id, user.id);
  });

  await t.step("a blank display name is stored as null", async () => {
    const { useCases } = await testCore({ seed: false });
    const { user } = await useCases.register({
      email: "blank@example.com",
      password: PASSWORD,
      displayName: "   ",
    });
    assert.equal(user.displayName, null);
  });

  await t.step("refuses an email already taken, whatever its case, with EmailTaken", async () => {
    const { useCases } = await testCore({ seed: false });
    await useCases.register({ email: "ada@example.com", password: PASSWORD });
    await assert.rejects(
      useCases.register({ email: "ADA@example.com", password: "another password" }),
      (error) => {
        assert.ok(error instanceof EmailTaken);
        assert.equal(error.code, "email_taken");
        assert.equal(error.email, "ada@example.com");
        return true;
      },
    );
  });

  await t.step("refuses a password under 8 characters with WeakPassword", async () => {
    const { useCases, ports } = await testCore({ seed: false });
    await assert.rejects(
      useCases.register({ email: "short@example.com", password: "1234567" }),
      (error) => {
        assert.ok(error instanceof WeakPassword);
        assert.equal(error.minLength, 8);
        return true;
      },
    );
    assert.equal(await ports.users.findByEmail("short@example.com"), null);
    await useCases.register({ email: "short@example.com", password: "12345678" });
  });

  await t.step("stores a hash, never the password", async () => {
    const { useCases, ports } = await testCore({ seed: false });
    await useCases.register({ email: "ada@example.com", password: PASSWORD });
    const found = await ports.users.findByEmail("ada@example.com");
    assert.ok(found);
    assert.notEqual(found.passwordHash, PASSWORD);
    assert.ok(!found.passwordHash.includes(PASSWORD));
  });
});

Deno.test("login() checks the password and opens a new session", async (t) => {
  await t.step("accepts the email in any case and returns a fresh token", async () => {
    const { useCases } = await testCore({ seed: false });
    const registered = await useCases.register({ email: "ada@example.com", password: PASSWORD });
    const { user, token } = await useCases.login({ email: " ADA@example.com", password: PASSWORD });
    assert.equal(user.id, registered.user.id);
    assert.notEqual(token, registered.token);
    assert.equal((await useCases.authenticate(token)).user.id, user.id);
  });

  await t.step(
    "a wrong password and an unknown email both fail with InvalidCredentials",
    async () => {
      const { useCases } = await testCore({ seed: false });
      await useCases.register({ email: "ada@example.com", password: PASSWORD });
      await assert.rejects(
        useCases.login({ email: "ada@example.com", password: "wrong password" }),
        InvalidCredentials,
      );
      await assert.rejects(
        useCases.login({ email: "nobody@example.com", password: PASSWORD }),
        (error) => error instanceof InvalidCredentials && error.code === "invalid_credentials",
      );
    },
  );
});

Deno.test("authenticate() accepts only live, unrevoked sessions", async (t) => {
  await t.step("a session expires after the configured TTL on the clock", async () => {
    const core = await testCore({ seed: false, settings: { sessionTtlMs: 60_000 } });
    const { token } = await core.useCases.register({
      email: "ada@example.com",
      password: PASSWORD,
    });
    core.clock.advance(59_999);
    await core.useCases.authenticate(token);
    core.clock.advance(1);
    await assert.rejects(core.useCases.authenticate(token), Unauthenticated);
  });

  await t.step("an unknown token is Unauthenticated", async () => {
    const { useCases } = await testCore({ seed: false });
    await assert.rejects(
      useCases.authenticate("not-a-token"),
      (error) => error instanceof Unauthenticated && error.code === "unauthenticated",
    );
  });

  await t.step("a session is stored under a hash of its token", async () => {
    const { useCases, ports } = await testCore({ seed: false });
    const { token } = await useCases.register({ email: "ada@example.com", password: PASSWORD });
    assert.equal(await ports.sessions.find(token), null);
    const { tokenHash } = await useCases.authenticate(token);
    assert.notEqual(tokenHash, token);
    assert.ok(await ports.sessions.find(tokenHash));
  });
});

Deno.test("logout() revokes only the session it was called with", async (t) => {
  await t.step(
    "the revoked token stops working, another session of the user keeps working",
    async () => {
      const { useCases } = await testCore({ seed: false });
      const first = await useCases.register({ email: "ada@example.com", password: PASSWORD });
      const second = await useCases.login({ email: "ada@example.com", password: PASSWORD });
      await useCases.logout(await useCases.authenticate(first.token));
      await assert.rejects(useCases.authenticate(first.token), Unauthenticated);
      assert.equal((await useCases.authenticate(second.token)).user.id, first.user.id);
    },
  );

  await t.step("logging out twice is harmless", async () => {
    const { useCases } = await testCore({ seed: false });
    const { token } = await useCases.register({ email: "ada@example.com", password: PASSWORD });
    const principal = await useCases.authenticate(token);
    await useCases.logout(principal);
    await useCases.logout(principal);
    await assert.rejects(useCases.authenticate(token), Unauthenticated);
  });
});

Deno.test("ensureAdmin() makes sure the configured admin account exists", async (t) => {
  await t.step("creates an admin that can log in", async () => {
    const { useCases } = await testCore({ seed: false });
    const admin = await useCases.ensureAdmin({ email: "Root@Example.com", password: PASSWORD });
    assert.equal(admin.role, "admin");
    assert.equal(admin.email, "root@example.com");
    const { user } = await useCases.login({ email: "root@example.com", password: PASSWORD });
    assert.equal(user.id, admin.id);
    assert.equal(user.role, "admin");
  });

  await t.step("promotes an existing customer and resets the password", async () => {
    const { useCases } = await testCore({ seed: false });
    const { user } = await useCases.register({ email: "ops@example.com", password: PASSWORD });
    const admin = await useCases.ensureAdmin({
      email: "OPS@example.com",
      password: "new admin pass",
    });
    assert.equal(admin.id, user.id);
    assert.equal(admin.role, "admin");
    await assert.rejects(
      useCases.login({ email: "ops@example.com", password: PASSWORD }),
      InvalidCredentials,
    );
    const login = await useCases.login({ email: "ops@example.com", password: "new admin pass" });
    assert.equal(login.user.role, "admin");
  });

  await t.step("running it again keeps a single account", async () => {
    const { useCases } = await testCore({ seed: false });
    const first = await useCases.ensureAdmin({ email: "root@example.com", password: PASSWORD });
    const second = await useCases.ensureAdmin({ email: "root@example.com", password: PASSWORD });
    assert.equal(second.id, first.id);
    await assert.rejects(
      useCases.register({ email: "root@example.com", password: PASSWORD }),
      EmailTaken,
    );
  });
});
