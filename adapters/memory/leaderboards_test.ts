import assert from "node:assert/strict";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { leaderboardsContract } from "../../ports/contracts/leaderboards_contract.ts";
import { MemoryLeaderboards } from "./leaderboards.ts";
import { Outage } from "./outage.ts";

leaderboardsContract(
  "MemoryLeaderboards",
  () => Promise.resolve({ subject: new MemoryLeaderboards(), close: () => Promise.resolve() }),
);

Deno.test("MemoryLeaderboards", async (t) => {
  await t.step("ranks customers absolutely on a board of its own", async () => {
    const boards = new MemoryLeaderboards();
    await boards.addCustomerPoints("bob", 10);
    await boards.addCustomerPoints("amy", 10);
    await boards.addCustomerPoints("cyd", 30);
    assert.deepEqual(await boards.topCustomers(10), [
      { id: "cyd", score: 30, rank: 1 },
      { id: "amy", score: 10, rank: 2 },
      { id: "bob", score: 10, rank: 3 },
    ]);
    assert.deepEqual(await boards.customerRank("bob"), { id: "bob", score: 10, rank: 3 });
  });

  await t.step("throws DependencyUnavailable while the outage switch is down", async () => {
    const boards = new MemoryLeaderboards({ outage: new Outage(true) });
    const isRedisDown = (e: unknown) =>
      e instanceof DependencyUnavailable && e.dependency === "redis";
    await assert.rejects(
      boards.addProductUnits("2025-01-01", [{ sku: "A", units: 1 }]),
      isRedisDown,
    );
    await assert.rejects(boards.addCustomerPoints("u", 1), isRedisDown);
    await assert.rejects(boards.topProducts("2025-01-01", 1), isRedisDown);
    await assert.rejects(boards.topCustomers(1), isRedisDown);
    await assert.rejects(boards.customerRank("u"), isRedisDown);
  });
});
