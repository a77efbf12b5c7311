import assert from "node:assert/strict";
import { ScryptPasswordHasher } from "./scrypt_password_hasher.ts";

Deno.test("ScryptPasswordHasher", async (t) => {
  const hasher = new ScryptPasswordHasher({ cost: 1024 });

  await t.step("hash() writes scrypt$N$r$p$salt$hash with a fresh salt each time", async () => {
    const a = await hasher.hash("correct horse");
    const b = await hasher.hash("correct horse");
    assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes("correct horse"));
  });

  await t.step("verify() accepts the password and rejects any other", async () => {
    const stored = await hasher.hash("correct horse");
    assert.equal(await hasher.verify("correct horse", stored), true);
    assert.equal(await hasher.verify("correct horsE", stored), false);
    assert.equal(await hasher.verify("", stored), false);
  });

  await t.step("verify() reads the parameters from the stored hash", async () => {
    const stored = await new ScryptPasswordHasher({ cost: 2048 }).hash("pw");
    assert.ok(stored.startsWith("scrypt$2048$8$1$"));
    assert.equal(await hasher.verify("pw", stored), true);
  });

  await t.step("verify() returns false for malformed or tampered hashes", async () => {
    const stored = await hasher.hash("pw");
    const [, , , , salt, key] = stored.split("$");
    const bad = [
      "",
      "nonsense",
      "bcrypt$10$abc",
      stored.replace("scrypt$", "scrypt2$"),
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`, // N beyond the bound
      `scrypt$1024$0$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$not base64!`,
      `scrypt$1024$8$1$${salt}$`,
      `scrypt$1024$8$1$${salt}$${key}$extra`,
      `scrypt$1024$8$1$${salt}$${key.slice(0, 8)}`, // truncated digest
      `scrypt$1024$8$2$${salt}$${key}`, // parameter changed
    ];
    for (const h of bad) assert.equal(await hasher.verify("pw", h), false, h);
  });

  await t.step("rejects invalid cost at construction", () => {
    assert.throws(() => new ScryptPasswordHasher({ cost: 1000 }), RangeError);
  });
});
