import assert from "node:assert/strict";
import type {
  OrderDocument,
  OrderSearchQuery,
  OrderSearchResult,
} from "../../domain/support/order_document.ts";
import type { OrderIndex } from "../support/order_index.ts";
import { type ContractOptions, defineContract, type MakeFixture } from "./_fixture.ts";

/**
 * The behaviour every `OrderIndex` keeps, on a fresh index per step. Near-real-time indices
 * are tolerated: a write must become visible within `VISIBLE_WITHIN_MS`, and before asserting
 * that a write was ignored the suite waits for a later marker write. Semantics pinned here:
 * - `q` matches an id prefix, an email prefix, an exact SKU or payment reference (all
 *   case-insensitive), or every word of the customer's or a product's name within fuzziness
 *   AUTO (0 edits up to 2 letters, 1 up to 5, then 2; a transposition is one edit);
 * - filters: exact status, `createdAt` in [from, to);
 * - order: by the weights of the ways `q` matched, then newest first, then id descending;
 * - writes keep the highest version (an equal one replaces); `rebuild` replaces the contents
 *   and keeps writes that arrive while it runs.
 */
export function orderIndexContract(
  label: string,
  make: MakeFixture<OrderIndex>,
  options: ContractOptions = {},
): void {
  defineContract("OrderIndex", label, make, options, async (step) => {
    await step(
      "finds an order by id prefix, email, name with typos, SKU, product, payment",
      async (index) => {
        const jane = order({
          id: "a1b2c3d4-0000-4000-8000-000000000001",
          customer: { id: "u1", email: "jane.doe@example.com", displayName: "Jane Doe" },
          skus: ["LAP-X1", "MOU-7"],
          productNames: ["Lenovo ThinkPad X1 Carbon", "Wireless Mouse"],
          payments: [payment("pi_3JaneRef42")],
        });
        const john = order({
          id: "ffee0000-0000-4000-8000-000000000002",
          customer: { id: "u2", email: "john.smith@example.org", displayName: "John Smith" },
          skus: ["BOOK-1"],
          productNames: ["Domain Modeling Made Functional"],
          payments: [],
        });
        await index.put(jane);
        await index.put(john);
        const find = (q: string) => index.search(query({ q }));
        await eventually(() => find(""), (r) => assert.equal(r.total, 2));
        const cases: [string, string[]][] = [
          ["a1b2", [jane.id]],
          ["A1B2C3D4", [jane.id]],
          ["jane.doe@example.com", [jane.id]],
          ["JOHN.SMITH@", [john.id]],
          ["Jonh Smiht", [john.id]],
          ["jnae", [jane.id]],
          ["lap-x1", [jane.id]],
          ["BOOK-1", [john.id]],
          ["thinkpadd carbn", [jane.id]],
          ["functionl", [john.id]],
          ["pi_3JaneRef42", [jane.id]],
          ["PI_3JANEREF42", [jane.id]],
          ["pi_3JaneRef4", []],
          ["Jane Smith", []],
          ["nobody", []],
        ];
        for (const [q, expected] of cases) {
          assert.deepEqual(ids(await find(q)), expected, `q=${q}`);
        }
      },
    );

    await step("returns the document as written", async (index) => {
      const d = order({ totals: { totalCents: 12_345 } });
      await index.put(d);
      const r = await eventually(() => index.search(query({ q: d.id })), (r) => {
        assert.equal(r.total, 1);
      });
      assert.deepEqual(r.items[0], d);
    });

    await step("filters by status and creation time, newest first, paged", async (index) => {
      const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h));
      const docs = [
        order({ id: "o-1", status: "pending", createdAt: at(1) }),
        order({ id: "o-2", status: "confirmed", createdAt: at(2) }),
        order({ id: "o-3", status: "confirmed", createdAt: at(3) }),
        order({ id: "o-4", status: "refunded", createdAt: at(4) }),
      ];
      for (const d of docs) await index.put(d);
      await eventually(() => index.search(query()), (r) => assert.equal(r.total, 4));
      assert.deepEqual(ids(await index.search(query())), ["o-4", "o-3", "o-2", "o-1"]);
      assert.deepEqual(ids(await index.search(query({ status: "confirmed" }))), ["o-3", "o-2"]);
      assert.deepEqual(ids(await index.search(query({ from: at(2), to: at(4) }))), [
        "o-3",
        "o-2",
      ]);
      const page = await index.search(query({ page: 2, size: 3 }));
      assert.deepEqual({ ids: ids(page), total: page.total }, { ids: ["o-1"], total: 4 });
      assert.deepEqual(ids(await index.search(query({ q: "o-", status: "pending" }))), ["o-1"]);
    });

    await step("ranks by how q matched, then newest first", async (index) => {
      const older = order({
        id: "b0000000-0000-4000-8000-000000000001",
        createdAt: new Date("2026-11-01T00:00:00Z"),
        skus: ["SKU-RANK"],
      });
      const newer = order({
        id: "b0000000-0000-4000-8000-000000000002",
        createdAt: new Date("2026-11-02T00:00:00Z"),
        skus: ["SKU-RANK"],
      });
      const byName = order({
        id: "c0000000-0000-4000-8000-000000000003",
        createdAt: new Date("2026-11-03T00:00:00Z"),
        productNames: ["Sku Rank Poster"],
      });
      for (const d of [older, newer, byName]) await index.put(d);
      await eventually(() => index.search(query()), (r) => assert.equal(r.total, 3));
      assert.deepEqual(ids(await index.search(query({ q: "sku-rank" }))), [
        newer.id,
        older.id,
        byName.id,
      ]);
    });

    await step(
      "an older version never overwrites a newer one; an equal one replaces",
      async (index) => {
        const v3 = order({ id: "v-1", version: 3, status: "confirmed" });
        await index.put(v3);
        await index.put({ ...v3, version: 2, status: "pending" });
        await index.put(order({ id: "v-marker" }));
        await eventually(() => index.search(query()), (r) => assert.equal(r.total, 2));
        const held = async () => (await index.search(query({ q: "v-1" }))).items[0];
        assert.equal((await held()).status, "confirmed");
        await index.put({ ...v3, status: "shipped" });
        await eventually(held, (d) => assert.equal(d.status, "shipped"));
        await index.put({ ...v3, version: 4, status: "delivered" });
        await eventually(held, (d) => assert.deepEqual([d.status, d.version], ["delivered", 4]));
      },
    );

    await step("rebuild replaces the contents and keeps writes made meanwhile", async (index) => {
      await index.put(order({ id: "r-old" }));
      await eventually(() => index.search(query()), (r) => assert.equal(r.total, 1));
      // The source is read after the rebuild began; a write made while it is read is kept.
      let releaseSource!: () => void;
      const sourceHeld = new Promise<void>((resolve) => releaseSource = resolve);
      let reading!: () => void;
      const sourceRead = new Promise<void>((resolve) => reading = resolve);
      async function* source() {
        reading();
        yield order({ id: "r-1" });
        await sourceHeld;
        yield order({ id: "r-2" });
      }
      const progress: number[] = [];
      const rebuilt = index.rebuild(source(), (n) => progress.push(n));
      await sourceRead;
      await index.put(order({ id: "r-during" }));
      releaseSource();
      assert.deepEqual(await rebuilt, { indexed: 2 });
      assert.equal(progress.at(-1), 2);
      const r = await eventually(() => index.search(query()), (r) => assert.equal(r.total, 3));
      assert.deepEqual(ids(r).sort(), ["r-1", "r-2", "r-during"]);
    });

    await step("query syntax in q is data", async (index) => {
      await index.put(order({ id: "s-1" }));
      await eventually(() => index.search(query()), (r) => assert.equal(r.total, 1));
      for (const q of ['"', "*", "a OR b", "{}", "\\", "s-1*", "(", "/.*/", "-", "@"]) {
        const r = await index.search(query({ q }));
        assert.ok(r.total <= 1, `q=${q}`);
      }
    });
  });
}

const VISIBLE_WITHIN_MS = 5_000;

async function eventually<T>(read: () => Promise<T>, check: (value: T) => void): Promise<T> {
  const deadline = Date.now() + VISIBLE_WITHIN_MS;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function ids(result: OrderSearchResult): string[] {
  return result.items.map((d) => d.id);
}

function query(overrides: Partial<OrderSearchQuery> = {}): OrderSearchQuery {
  return { q: "", page: 1, size: 20, ...overrides };
}

function payment(providerRef: string) {
  return {
    provider: "test",
    providerRef,
    status: "succeeded" as const,
    amountCents: 1_000,
    processedAt: new Date("2026-11-20T10:05:00Z"),
  };
}

let counter = 0;

function order(overrides: Partial<OrderDocument> = {}): OrderDocument {
  counter++;
  return {
    id: `d0000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    version: 1,
    status: "confirmed",
    customer: { id: "u-x", email: `x${counter}@example.net`, displayName: "Quinn Example" },
    skus: ["ZZZ-1"],
    productNames: ["Plain Widget"],
    currency: "USD",
    totals: { totalCents: 1_000 },
    payments: [],
    createdAt: new Date("2026-11-20T10:00:00Z"),
    updatedAt: new Date("2026-11-20T10:05:00Z"),
    paidAt: new Date("2026-11-20T10:05:00Z"),
    ...overrides,
  };
}
