import assert from "node:assert/strict";
import { AlreadyExists, EmailTaken, NotFound } from "../../domain/errors.ts";
import type { Session } from "../../domain/identity/user.ts";
import type { NewUser, SessionStore, UserStore } from "../identity/users.ts";
import type { ChangeFeed } from "../search/change_feed.ts";
import type { ContractOptions, MakeFixture } from "./_fixture.ts";

export interface UsersFixture {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  /** Where `setDisplayName` publishes (the outbox; a change log in memory). */
  readonly feed: ChangeFeed;
}

const T0 = new Date("2030-01-01T00:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

/** A customer with a fresh id and email; other suites use it where rows reference a user. */
export function testUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = crypto.randomUUID();
  return {
    id,
    email: `user-${id}@example.com`,
    displayName: "Test User",
    role: "customer",
    createdAt: T0,
    passwordHash: `hash-${id}`,
    ...overrides,
  };
}

function tokenHash(): string {
  return (crypto.randomUUID() + crypto.randomUUID()).replaceAll("-", "");
}

function session(userId: string, overrides: Partial<Session> = {}): Session {
  return {
    tokenHash: tokenHash(),
    userId,
    createdAt: T0,
    expiresAt: later(3_600_000),
    revokedAt: null,
    ...overrides,
  };
}

export function usersContract(
  label: string,
  make: MakeFixture<UsersFixture>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `${label}: UserStore and SessionStore contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async (t) => {
      await t.step(
        "create() stores the user and returns it without the password hash",
        async () => {
          const fx = await make();
          try {
            const { users } = fx.subject;
            const input = testUser({ displayName: null, role: "admin" });
            const created = await users.create(input);
            const expected = {
              id: input.id,
              email: input.email,
              displayName: null,
              role: "admin",
              createdAt: input.createdAt,
            };
            assert.deepEqual({ ...created }, expected);
            assert.ok(!("passwordHash" in created));
            assert.deepEqual({ ...(await users.get(input.id)) }, expected);
            assert.equal(await users.get(crypto.randomUUID()), null);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step(
        "create() refuses an email taken in any letter case with EmailTaken",
        async () => {
          const fx = await make();
          try {
            const { users } = fx.subject;
            const first = testUser();
            await users.create(first);
            const shouted = first.email.toUpperCase();
            await assert.rejects(users.create(testUser({ email: shouted })), (e: unknown) => {
              assert.ok(e instanceof EmailTaken);
              assert.equal(e.email, first.email);
              return true;
            });
            assert.equal((await users.findByEmail(first.email))?.user.id, first.id);
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("findByEmail() ignores case and surrounding spaces", async () => {
        const fx = await make();
        try {
          const { users } = fx.subject;
          const input = testUser();
          await users.create(input);
          const found = await users.findByEmail(`  ${input.email.toUpperCase()} `);
          assert.equal(found?.user.id, input.id);
          assert.equal(found?.user.email, input.email);
          assert.equal(found?.passwordHash, input.passwordHash);
          assert.equal(await users.findByEmail(`nobody-${crypto.randomUUID()}@example.com`), null);
        } finally {
          await fx.close();
        }
      });

      await t.step("getMany() returns the known users and skips unknown ids", async () => {
        const fx = await make();
        try {
          const { users } = fx.subject;
          const a = testUser();
          const b = testUser();
          await users.create(a);
          await users.create(b);
          const found = await users.getMany([b.id, crypto.randomUUID(), a.id]);
          assert.deepEqual(found.map((u) => u.id).sort(), [a.id, b.id].sort());
          assert.deepEqual(await users.getMany([]), []);
        } finally {
          await fx.close();
        }
      });

      await t.step("update() sets role and password hash; unknown id throws NotFound", async () => {
        const fx = await make();
        try {
          const { users } = fx.subject;
          const input = testUser();
          await users.create(input);
          const promoted = await users.update(input.id, { role: "admin" });
          assert.equal(promoted.role, "admin");
          assert.equal((await users.findByEmail(input.email))?.passwordHash, input.passwordHash);
          await users.update(input.id, { passwordHash: "new-hash" });
          const found = await users.findByEmail(input.email);
          assert.equal(found?.passwordHash, "new-hash");
          assert.equal(found?.user.role, "admin");
          await assert.rejects(users.update(crypto.randomUUID(), { role: "admin" }), NotFound);
        } finally {
          await fx.close();
        }
      });

      await t.step(
        "setDisplayName() changes the name and publishes a user event with it",
        async () => {
          const fx = await make();
          try {
            const { users, feed } = fx.subject;
            const input = testUser();
            await users.create(input);
            const head = await feed.head();
            const renamed = await users.setDisplayName(input.id, "Grace Hopper", later(1_000));
            assert.equal(renamed.displayName, "Grace Hopper");
            assert.equal((await users.get(input.id))?.displayName, "Grace Hopper");
            const cleared = await users.setDisplayName(input.id, null, later(2_000));
            assert.equal(cleared.displayName, null);
            // The outbox hands out a row once every older transaction ended: poll until both.
            const events: { sku: string; at: Date }[] = [];
            let from = head;
            const deadline = Date.now() + 10_000;
            while (events.length < 2 && Date.now() < deadline) {
              for (const e of await feed.poll(from, 10, 500)) {
                if (e.source === "user") events.push(e);
                from = e.checkpoint;
              }
            }
            assert.deepEqual(events.map((e) => e.sku), [input.id, input.id]);
            assert.equal(events[0].at.getTime(), later(1_000).getTime());
            const before = await feed.head();
            await assert.rejects(
              users.setDisplayName(crypto.randomUUID(), "Nobody", later(3_000)),
              NotFound,
            );
            assert.deepEqual(await feed.poll(before, 10, 200), [], "nothing published on failure");
          } finally {
            await fx.close();
          }
        },
      );

      await t.step("sessions: create() then find() by token hash, with its user", async () => {
        const fx = await make();
        try {
          const { users, sessions } = fx.subject;
          const user = await users.create(testUser());
          const s = session(user.id);
          await sessions.create(s);
          const found = await sessions.find(s.tokenHash);
          assert.deepEqual({ ...found?.session }, s);
          assert.deepEqual({ ...found?.user }, user);
          assert.equal(await sessions.find(tokenHash()), null);
          await assert.rejects(sessions.create(s), AlreadyExists);
          await assert.rejects(sessions.create(session(crypto.randomUUID())), NotFound);
        } finally {
          await fx.close();
        }
      });

      await t.step("sessions: revoke() sets revokedAt once and is idempotent", async () => {
        const fx = await make();
        try {
          const { users, sessions } = fx.subject;
          const user = await users.create(testUser());
          const s = session(user.id);
          const other = session(user.id);
          await sessions.create(s);
          await sessions.create(other);
          await sessions.revoke(s.tokenHash, later(60_000));
          assert.equal(
            (await sessions.find(s.tokenHash))?.session.revokedAt?.getTime(),
            later(60_000).getTime(),
          );
          await sessions.revoke(s.tokenHash, later(120_000));
          assert.equal(
            (await sessions.find(s.tokenHash))?.session.revokedAt?.getTime(),
            later(60_000).getTime(),
          );
          assert.equal((await sessions.find(other.tokenHash))?.session.revokedAt, null);
          await sessions.revoke(tokenHash(), later(60_000));
        } finally {
          await fx.close();
        }
      });
    },
  });
}
