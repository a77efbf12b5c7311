import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { Outage } from "./outage.ts";

Deno.test("Outage", async (t) => {
  await t.step("check() throws DependencyUnavailable naming the dependency only while down", () => {
    const outage = new Outage();
    outage.check("redis");
    outage.down = true;
    assert.throws(
      () => outage.check("elasticsearch"),
      (e) => e instanceof DependencyUnavailable && e.dependency === "elasticsearch",
    );
    outage.down = false;
    outage.check("redis");
  });
});
