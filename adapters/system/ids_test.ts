import assert from "node:assert/strict";
import { RandomIds } from "./ids.ts";

Deno.test("RandomIds", async (t) => {
  const ids = new RandomIds();
  await t.step("id() returns distinct v4 UUIDs", () => {
    const a = ids.id();
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, ids.id());
  });
  await t.step("token() is 32 random bytes in unpadded base64url", () => {
    const tok = ids.token();
    assert.match(tok, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(tok, ids.token());
  });
});
