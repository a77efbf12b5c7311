import assert from "node:assert/strict";
import { buildRuntime } from "../../composition.ts";
import { parseConfig } from "../../config.ts";
import { type AuthDeps, authenticate, logout, register } from "../../application/identity/auth.ts";
import { Unauthenticated } from "../../domain/errors.ts";
import type { Session } from "../../domain/identity/user.ts";
import type { SessionStore } from "../../ports/identity/users.ts";
import { testUser, usersContract } from "../../ports/contracts/users_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { MemoryChangeLog } from "../memory/change_feed.ts";
import { FixedClock, SequentialIds } from "../memory/fixed_clock.ts";
import { MemorySessionStore, MemoryUserStore } from "../memory/users.ts";
import { connectRedis } from "./connect.ts";
import { listenForInvalidations } from "./_near_entries.ts";
import {
  NearSessionStore,
  SessionDroppingUsers,
  sessionInvalidationChannel,
} from "./near_session_store.ts";
import { readGate, type TestRedis, testRedis } from "./_testing.ts";
import { eventually } from "../../testing/eventually.ts";

const url = integrationUrl("REDIS_URL");
const HOUR = 3_600_000;
const T0 = new Date("2030-01-01T00:00:00.000Z");

/** A session store that counts its reads and can hold a read until released. */
function counting(inner: SessionStore) {
  let finds = 0;
  const gate = readGate();
  const store: SessionStore = {
    create: (session) => inner.create(session),
    find: async (tokenHash) => {
      finds += 1;
      const found = await inner.find(tokenHash);
      await gate.pass();
      return found;
    },
    revoke: (tokenHash, at) => inner.revoke(tokenHash, at),
  };
  return { store, finds: () => finds, holdReads: () => gate.hold() };
}

function local(
  options: { ttlMs?: number; maxEntries?: number; publish?: (m: string) => Promise<unknown> } = {},
) {
  let now = 0;
  const published: string[] = [];
  const memoryUsers = new MemoryUserStore();
  const inner = counting(new MemorySessionStore(memoryUsers));
  const sessions = new NearSessionStore(inner.store, {
    ttlMs: options.ttlMs ?? 1_000,
    maxEntries: options.maxEntries ?? 100,
    publish: options.publish ?? ((message) => Promise.resolve(published.push(message))),
    now: () => now,
  });
  sessions.listening = true;
  const users = new SessionDroppingUsers(memoryUsers, sessions);
  return { sessions, users, inner, published, advance: (ms: number) => (now += ms) };
}

/** A user with `count` live sessions, created through `stores`. */
async function signedIn(
  stores: { users: SessionDroppingUsers; sessions: SessionStore },
  count = 1,
): Promise<{ userId: string; hashes: string[] }> {
  const user = await stores.users.create(testUser());
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = session(user.id);
    await stores.sessions.create(s);
    hashes.push(s.tokenHash);
  }
  return { userId: user.id, hashes };
}

/** The auth use cases' dependencies on these stores, at T0 on a clock that moves when told. */
function authDeps(
  stores: Pick<AuthDeps, "users" | "sessions">,
  sessionTtlMs: number,
): AuthDeps & { clock: FixedClock } {
  return {
    ...stores,
    clock: new FixedClock(T0),
    ids: new SequentialIds(),
    hasher: { hash: (p) => Promise.resolve(p), verify: (p, h) => Promise.resolve(p === h) },
    sessionTtlMs,
  };
}

Deno.test("NearSessionStore", async (t) => {
  await t.step("a session is answered from memory until ttlMs, then read again", async () => {
    const { sessions, users, inner, advance } = local({ ttlMs: 1_000 });
    const { userId, hashes: [hash] } = await signedIn({ users, sessions });
    assert.equal((await sessions.find(hash))?.user.id, userId);
    assert.equal((await sessions.find(hash))?.session.tokenHash, hash);
    assert.equal(inner.finds(), 1, "the second read is local");
    advance(999);
    await sessions.find(hash);
    assert.equal(inner.finds(), 1);
    advance(1);
    await sessions.find(hash);
    assert.equal(inner.finds(), 2, "no local answer older than ttlMs");
  });

  await t.step("unknown tokens are not kept: each lookup asks the inner store", async () => {
    const { sessions, inner } = local();
    assert.equal(await sessions.find("f".repeat(64)), null);
    assert.equal(await sessions.find("f".repeat(64)), null);
    assert.equal(inner.finds(), 2);
    assert.equal(sessions.size, 0);
  });

  await t.step("revoke is durable, drops the session here and publishes it", async () => {
    const { sessions, users, published } = local();
    const { hashes: [hash, other] } = await signedIn({ users, sessions }, 2);
    await sessions.find(hash);
    await sessions.find(other);
    await sessions.revoke(hash, later(1_000));
    assert.equal((await sessions.find(hash))?.session.revokedAt?.getTime(), later(1_000).getTime());
    assert.equal((await sessions.find(other))?.session.revokedAt, null, "the other one stays");
    assert.deepEqual(published, [`t:${hash}`]);
  });

  await t.step(
    "authenticate() refuses a logged-out token at once in the same process",
    async () => {
      const { sessions, users, inner } = local({ ttlMs: HOUR });
      const deps = authDeps({ users, sessions }, HOUR);
      const { token } = await register(deps, { email: "ada@example.com", password: "long enough" });
      const principal = await authenticate(deps, token);
      await authenticate(deps, token);
      assert.equal(inner.finds(), 1, "served locally");
      await logout(deps, principal);
      await assert.rejects(authenticate(deps, token), Unauthenticated);
    },
  );

  await t.step("a cached session past its expiresAt is refused all the same", async () => {
    const { sessions, users, inner } = local({ ttlMs: HOUR });
    const deps = authDeps({ users, sessions }, 60_000);
    const { token } = await register(deps, { email: "bo@example.com", password: "long enough" });
    await authenticate(deps, token);
    deps.clock.advance(60_000);
    await assert.rejects(authenticate(deps, token), Unauthenticated);
    assert.equal(inner.finds(), 1, "refused on the local copy");
  });

  await t.step("a change to the user drops every session of that user and publishes", async () => {
    const { sessions, users, inner, published } = local();
    const ada = await signedIn({ users, sessions }, 2);
    const bo = await signedIn({ users, sessions });
    for (const hash of [...ada.hashes, ...bo.hashes]) await sessions.find(hash);
    assert.equal(sessions.size, 3);
    await users.setDisplayName(ada.userId, "Ada Lovelace", later(1_000));
    assert.equal(sessions.size, 1, "only bo's session stays");
    assert.equal((await sessions.find(ada.hashes[1]))?.user.displayName, "Ada Lovelace");
    await users.update(bo.userId, { role: "admin" });
    assert.equal((await sessions.find(bo.hashes[0]))?.user.role, "admin");
    assert.deepEqual(published, [`u:${ada.userId}`, `u:${bo.userId}`]);
    assert.equal(inner.finds(), 5);
  });

  await t.step("messages from other processes drop one session or all of a user's", async () => {
    const { sessions, users } = local();
    const ada = await signedIn({ users, sessions }, 2);
    const bo = await signedIn({ users, sessions });
    for (const hash of [...ada.hashes, ...bo.hashes]) await sessions.find(hash);
    sessions.drop(`t:${bo.hashes[0]}`);
    assert.equal(sessions.size, 2);
    sessions.drop(`u:${ada.userId}`);
    assert.equal(sessions.size, 0);
    await sessions.find(bo.hashes[0]);
    sessions.drop("something else");
    assert.equal(sessions.size, 0, "a message it cannot read forgets everything");
  });

  await t.step(
    "while not listening nothing is served locally; listening again starts empty",
    async () => {
      const { sessions, users, inner } = local();
      const { hashes: [hash] } = await signedIn({ users, sessions });
      await sessions.find(hash);
      sessions.listening = false;
      assert.equal(sessions.size, 0);
      await sessions.find(hash);
      await sessions.find(hash);
      assert.equal(inner.finds(), 3, "every read went to the inner store");
      sessions.listening = true;
      await sessions.find(hash);
      await sessions.find(hash);
      assert.equal(inner.finds(), 4);
    },
  );

  await t.step("memory: at most maxEntries sessions, the least recently read dropped", async () => {
    const { sessions, users, inner } = local({ maxEntries: 2 });
    const { userId, hashes: [a, b, c] } = await signedIn({ users, sessions }, 3);
    await sessions.find(a);
    await sessions.find(b);
    await sessions.find(a); // a is now the most recent
    await sessions.find(c); // b goes
    assert.equal(sessions.size, 2);
    const before = inner.finds();
    await sessions.find(a);
    await sessions.find(c);
    assert.equal(inner.finds(), before, "a and c are local");
    await sessions.find(b);
    assert.equal(inner.finds(), before + 1, "b was dropped");
    await sessions.userChanged(userId);
    assert.equal(sessions.size, 0, "the user index let go of evicted sessions too");
  });

  await t.step("a read overtaken by an invalidation is answered but not kept", async () => {
    const { sessions, users, inner } = local();
    const { userId, hashes: [hash] } = await signedIn({ users, sessions });
    const release = inner.holdReads();
    const reading = sessions.find(hash);
    sessions.drop(`u:${userId}`); // the message arrives while PostgreSQL's answer is on its way
    release();
    assert.equal((await reading)?.session.tokenHash, hash);
    assert.equal(sessions.size, 0);
  });

  await t.step("a failing publish fails neither the logout nor the user change", async () => {
    const down = () => Promise.reject(new Error("redis is down"));
    const { sessions, users } = local({ publish: down });
    const { userId, hashes: [hash] } = await signedIn({ users, sessions });
    await sessions.find(hash);
    await sessions.revoke(hash, later(1_000));
    assert.ok((await sessions.find(hash))?.session.revokedAt, "revoked durably");
    await users.setDisplayName(userId, "Renamed", later(2_000));
    assert.equal((await sessions.find(hash))?.user.displayName, "Renamed");
  });
});

usersContract("NearSessionStore and SessionDroppingUsers over the memory stores", () => {
  const feed = new MemoryChangeLog("inventory");
  const users = new MemoryUserStore({ changes: feed });
  const sessions = new NearSessionStore(new MemorySessionStore(users), {
    ttlMs: HOUR,
    maxEntries: 100,
    publish: () => Promise.resolve(),
  });
  sessions.listening = true;
  return Promise.resolve({
    subject: { users: new SessionDroppingUsers(users, sessions), sessions, feed },
    close: () => Promise.resolve(),
  });
});

type SharedStores = { users: MemoryUserStore; sessions: MemorySessionStore };

/** One process: its near store over the shared stores (PostgreSQL's stand-in). */
function instance(r: TestRedis, shared: SharedStores) {
  const channel = sessionInvalidationChannel(r.prefix);
  const sessions = new NearSessionStore(shared.sessions, {
    ttlMs: HOUR,
    maxEntries: 1_000,
    publish: (message) => r.redis.publish(channel, message),
  });
  const users = new SessionDroppingUsers(shared.users, sessions);
  const subscriber = connectRedis(url!);
  const stop = listenForInvalidations(subscriber, channel, sessions);
  return { sessions, users, subscriber, stop };
}

/** Runs `body` with `count` processes listening on one channel over the same stores. */
async function withInstances(
  count: number,
  body: (instances: ReturnType<typeof instance>[], shared: SharedStores) => Promise<void>,
): Promise<void> {
  const r = await testRedis(url!);
  const users = new MemoryUserStore();
  const shared = { users, sessions: new MemorySessionStore(users) };
  const instances = Array.from({ length: count }, () => instance(r, shared));
  try {
    await eventually("up", () => Promise.resolve(instances.every((i) => i.sessions.listening)));
    await body(instances, shared);
  } finally {
    for (const i of instances) await i.stop();
    await r.close();
  }
}

Deno.test({
  name: "NearSessionStore on a real Redis",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await t.step("a logout in one process reaches the others", async () => {
      await withInstances(2, async ([a, b]) => {
        const { hashes: [hash] } = await signedIn(a);
        assert.equal((await a.sessions.find(hash))?.session.revokedAt, null);
        assert.equal(a.sessions.size, 1, "held locally for an hour");
        await b.sessions.revoke(hash, later(1_000));
        await eventually(
          "message arrived",
          async () => (await a.sessions.find(hash))?.session.revokedAt !== null,
        );
      });
    });

    await t.step("a change to the user in one process reaches the others", async () => {
      await withInstances(2, async ([a, b]) => {
        const { userId, hashes } = await signedIn(a, 2);
        for (const hash of hashes) await b.sessions.find(hash);
        assert.equal(b.sessions.size, 2);
        await a.users.update(userId, { role: "admin" });
        await eventually("message arrived", () => Promise.resolve(b.sessions.size === 0));
        assert.equal((await b.sessions.find(hashes[0]))?.user.role, "admin");
      });
    });

    await t.step("the composition root puts it in front of PostgreSQL's stores", async () => {
      const r = await testRedis(url!);
      const env = { REDIS_URL: url!, REDIS_PREFIX: r.prefix, SEED: "false" };
      const on = await buildRuntime(parseConfig(env));
      const off = await buildRuntime(parseConfig({ ...env, SESSION_NEAR_CACHE_MS: "0" }));
      try {
        assert.ok(on.ports.sessions instanceof NearSessionStore);
        assert.ok(on.ports.users instanceof SessionDroppingUsers);
        assert.match(on.adapters.redis, /session cache/);
        assert.ok(off.ports.sessions instanceof MemorySessionStore, "the stand-in, unwrapped");
        assert.ok(off.ports.users instanceof MemoryUserStore);
        assert.doesNotMatch(off.adapters.redis, /session cache/);
      } finally {
        await on.close();
        await off.close();
        await r.close();
      }
    });

    await t.step("a dropped subscription empties the local cache", async () => {
      await withInstances(1, async ([a], shared) => {
        const { hashes: [hash] } = await signedIn(a);
        await a.sessions.find(hash);
        await shared.sessions.revoke(hash, later(1_000)); // unannounced
        a.subscriber.disconnect(true); // ioredis reconnects and subscribes again
        await eventually(
          "emptied",
          async () => (await a.sessions.find(hash))?.session.revokedAt !== null,
        );
        await eventually("listening again", () => Promise.resolve(a.sessions.listening));
      });
    });
  },
});

function later(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

function session(userId: string, overrides: Partial<Session> = {}): Session {
  return {
    tokenHash: (crypto.randomUUID() + crypto.randomUUID()).replaceAll("-", ""),
    userId,
    createdAt: T0,
    expiresAt: later(HOUR),
    revokedAt: null,
    ...overrides,
  };
}
