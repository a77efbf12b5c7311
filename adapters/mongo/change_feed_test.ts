import assert from "node:assert/strict";
import type { ChangeEvent } from "../../ports/search/change_feed.ts";
import {
  changeFeedContract,
  collectFeed,
  feedHead,
} from "../../ports/contracts/change_feed_contract.ts";
import { MongoClient } from "mongodb";
import { integrationUrl, uniqueName } from "../../testing/integration.ts";
import { MongoCatalog } from "./catalog.ts";
import { MongoCategories } from "./categories.ts";
import { MongoVendors } from "./vendors.ts";
import { sampleVendor } from "../../ports/contracts/vendors_contract.ts";
import { MongoChangeFeed, parseCheckpoint, toCheckpoint } from "./change_feed.ts";
import { createMongoClient } from "./client.ts";
import { openDatabase, sampleProduct } from "./_test_fixture.ts";

const url = integrationUrl("MONGO_URL");
const ignore = url === undefined;

changeFeedContract("MongoChangeFeed", async () => {
  const { db, close } = await openDatabase(url!);
  const catalog = new MongoCatalog(db);
  const feed = new MongoChangeFeed(db);
  return {
    subject: {
      feed,
      source: "catalog",
      async emit(sku: string, at: Date) {
        const existing = await catalog.get(sku);
        if (existing) await catalog.replace({ ...existing, updatedAt: at });
        else await catalog.create(sampleProduct({ sku, updatedAt: at }));
      },
    },
    async close() {
      await feed.close();
      await close();
    },
  };
}, { ignore });

// The category tree's stream: the same feed over `categories`, events naming the slug.
changeFeedContract("MongoChangeFeed over categories", async () => {
  const { db, close } = await openDatabase(url!);
  const categories = new MongoCategories(db);
  const feed = new MongoChangeFeed(db, {
    name: "categories",
    collection: "categories",
    source: "category",
  });
  return {
    subject: {
      feed,
      source: "category",
      async emit(slug: string, at: Date) {
        const existing = await categories.get(slug);
        if (existing) await categories.replace({ ...existing, updatedAt: at });
        else {
          await categories.create({
            slug,
            name: slug,
            parent: null,
            path: slug,
            attributes: [],
            updatedAt: at,
            version: 1,
          });
        }
      },
    },
    async close() {
      await feed.close();
      await close();
    },
  };
}, { ignore });

// The vendor profiles' stream: the same feed over `vendors`, events naming the vendor id.
changeFeedContract("MongoChangeFeed over vendors", async () => {
  const { db, close } = await openDatabase(url!);
  const vendors = new MongoVendors(db);
  const feed = new MongoChangeFeed(db, {
    name: "vendors",
    collection: "vendors",
    source: "vendor",
  });
  return {
    subject: {
      feed,
      source: "vendor",
      async emit(id: string, at: Date) {
        const existing = await vendors.get(id);
        if (existing) await vendors.replace({ ...existing, updatedAt: at });
        else await vendors.create(sampleVendor({ id, updatedAt: at }));
      },
    },
    async close() {
      await feed.close();
      await close();
    },
  };
}, { ignore });

const mine = (skus: readonly string[]) => (e: ChangeEvent) => skus.includes(e.sku);

Deno.test({
  name: "MongoChangeFeed on a real server",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await t.step("a new feed object resumes after a checkpoint: later events once", async () => {
      const { db, close } = await openDatabase(url!);
      const catalog = new MongoCatalog(db);
      const first = new MongoChangeFeed(db);
      const skus = ["R-1", "R-2", "R-3", "R-4", "R-5"];
      try {
        const head = await feedHead(first);
        for (const sku of skus.slice(0, 3)) await catalog.create(sampleProduct({ sku }));
        const before = await collectFeed(first, head, mine(skus), 3);
        assert.deepEqual(before.events.map((e) => e.sku), skus.slice(0, 3));
        await first.close(); // the worker stops

        for (const sku of skus.slice(3)) await catalog.create(sampleProduct({ sku }));
        await catalog.delete("R-1");

        // A new process: its own client, its own feed, only the stored checkpoint.
        const client = createMongoClient(url!);
        const second = new MongoChangeFeed(client.db(db.databaseName));
        try {
          const after = await collectFeed(second, before.last, mine(skus), 3);
          assert.deepEqual(after.events.map((e) => e.sku), ["R-4", "R-5", "R-1"]);
          assert.deepEqual(await second.poll(after.last, 100, 0), [], "each event once");
          assert.deepEqual(await second.backlog(after.last), { pending: 0, oldestAt: null });
        } finally {
          await second.close();
          await client.close();
        }
      } finally {
        await first.close();
        await close();
      }
    });

    await t.step("deletes carry the SKU and the time of the change", async () => {
      const { db, close } = await openDatabase(url!);
      const catalog = new MongoCatalog(db);
      const feed = new MongoChangeFeed(db);
      try {
        const head = await feedHead(feed);
        const p = await catalog.create(sampleProduct({ sku: "D-1" }));
        const started = Date.now();
        await catalog.delete(p.sku);
        const { events } = await collectFeed(feed, head, mine([p.sku]), 2);
        assert.equal(events.length, 2);
        assert.equal(events[0].at.getTime(), p.updatedAt.getTime());
        // Deletes are stamped by the server (cluster time: whole seconds on the CI server).
        assert.ok(Math.abs(events[1].at.getTime() - started) < 5_000, events[1].at.toISOString());
      } finally {
        await feed.close();
        await close();
      }
    });

    await t.step("polls in a loop reuse one stream and see every write", async () => {
      const client = new MongoClient(url!, { monitorCommands: true });
      const db = client.db(uniqueName("polycart_test"));
      const opened: string[] = [];
      client.on("commandStarted", (e) => {
        if (e.commandName === "aggregate") opened.push(JSON.stringify(e.command.pipeline));
      });
      const catalog = new MongoCatalog(db);
      const feed = new MongoChangeFeed(db);
      try {
        let checkpoint = await feedHead(feed);
        const written: string[] = [];
        const seen: string[] = [];
        for (let i = 0; i < 20; i++) {
          const sku = `L-${String(i).padStart(2, "0")}`;
          await catalog.create(sampleProduct({ sku }));
          written.push(sku);
          const batch = await feed.poll(checkpoint, 3, 0);
          for (const e of batch) seen.push(e.sku);
          if (batch.length > 0) checkpoint = batch[batch.length - 1].checkpoint;
        }
        const rest = await collectFeed(feed, checkpoint, () => true, 20 - seen.length);
        seen.push(...rest.events.map((e) => e.sku));
        assert.deepEqual(seen, written);
        assert.equal(opened.filter((p) => p.includes("$changeStream")).length, 1, "one stream");
      } finally {
        await feed.close();
        await db.dropDatabase();
        await client.close();
      }
    });
  },
});

Deno.test("checkpoints are canonical Extended JSON of the resume token", () => {
  const token = { _data: "8263A1B2C3000000012B022C0100296E5A1004" };
  const checkpoint = toCheckpoint(token);
  assert.deepEqual(parseCheckpoint(checkpoint), token);
  assert.throws(() => parseCheckpoint("42"), TypeError);
  assert.throws(() => parseCheckpoint("{not json"), TypeError);
});
