import assert from "node:assert/strict";
import { isSessionLive, normalizeEmail, type Session } from "./user.ts";

Deno.test("identity rules", async (t) => {
  await t.step("normalizeEmail() trims and lowercases", () => {
    assert.equal(normalizeEmail("  Ada@Example.COM "), "ada@example.com");
  });

  await t.step("isSessionLive() is false once expired or revoked", () => {
    const session: Session = {
      tokenHash: "h",
      userId: "u",
      createdAt: new Date("2026-01-01T00:00:00Z"),
      expiresAt: new Date("2026-01-02T00:00:00Z"),
      revokedAt: null,
    };
    assert.equal(isSessionLive(session, new Date("2026-01-01T12:00:00Z")), true);
    assert.equal(isSessionLive(session, new Date("2026-01-02T00:00:00Z")), false);
    assert.equal(
      isSessionLive(
        { ...session, revokedAt: new Date("2026-01-01T01:00:00Z") },
        new Date("2026-01-01T12:00:00Z"),
      ),
      false,
    );
  });
});
