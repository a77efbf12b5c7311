/**
 * Issue-4 proofs on the real servers: catalog and stock changes made through the API reach
 * Elasticsearch through the MongoDB change stream and the PostgreSQL outbox (no dual writes),
 * a stopped sync resumes from its checkpoint, and a reindex never interrupts searches.
 */
import assert from "node:assert/strict";
import { InsufficientStock, NotFound } from "../domain/errors.ts";
import type { SearchDocument } from "../domain/search/search.ts";
import type { SearchIndex } from "../ports/search/search_index.ts";
import type { ChangeEvent, ChangeFeed } from "../ports/search/change_feed.ts";
import { openStack, type Stack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };

function product(sku: string, word: string, priceCents = 12_345, stock = 10) {
  return {
    sku,
    name: `Polycart ${word} Lamp ${sku}`,
    category: "lighting",
    brand: "Lumen",
    description: `A ${word} desk lamp for tests.`,
    images: [],
    attrs: { watts: 9 },
    variants: [],
    tags: ["lamp"],
    priceCents,
    stock,
  };
}

async function search(stack: Stack, q: string) {
  return await stack.useCases.search({ q, sort: "relevance", page: 1, size: 50 });
}

async function withStack(fn: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await openStack(urls!);
  try {
    // Every product here names this category, which must exist.
    await stack.useCases.createCategory({ slug: "lighting", name: "Lighting" });
    await fn(stack);
  } finally {
    await stack.close();
  }
}

Deno.test({
  name: "sync pipeline on the real servers",
  ignore: urls === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await t.step(
      "create, update and delete through the API show in search within 5 s",
      () =>
        withStack(async (stack) => {
          stack.startSync();
          await stack.useCases.ensureAdmin(ADMIN);
          const login = await stack.app.request("/auth/login", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(ADMIN),
          });
          const { token } = await login.json();
          const call = (method: string, path: string, body?: unknown) =>
            stack.app.request(path, {
              method,
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
              body: body === undefined ? undefined : JSON.stringify(body),
            });

          const created = await call("POST", "/admin/products", product("E2E-1", "zephyr"));
          assert.equal(created.status, 201, await created.clone().text());
          const seen = await eventually(
            "created product searchable",
            async () => (await search(stack, "zephyr")).items.some((h) => h.sku === "E2E-1"),
          );

          assert.equal(
            (await call("PATCH", "/admin/products/E2E-1", { name: "Polycart Quasar Lamp" })).status,
            200,
          );
          await eventually(
            "renamed product searchable by its new name",
            async () => (await search(stack, "quasar")).items.some((h) => h.sku === "E2E-1"),
          );

          assert.equal(
            (await call("PATCH", "/admin/inventory/E2E-1", { unitPriceCents: 999, stock: 0 }))
              .status,
            200,
          );
          await eventually("price and stock change in search", async () => {
            const hit = (await search(stack, "quasar")).items.find((h) => h.sku === "E2E-1");
            return hit?.priceCents === 999 && hit.inStock === false;
          });

          assert.equal((await call("DELETE", "/admin/products/E2E-1")).status, 204);
          await eventually(
            "deleted product gone from search",
            async () => (await search(stack, "quasar")).total === 0,
          );
          console.log(`    first visibility after create: ${Math.round(seen)} ms`);
        }),
    );

    await t.step(
      "drafts and scheduled products are indexed but hidden until their time; checkout refuses them",
      () =>
        withStack(async (stack) => {
          stack.startSync();
          const at = new Date(Date.now() + 4_000);
          await stack.useCases.createProduct({
            ...product("E2E-V1", "borealis"),
            publishedAt: null,
          });
          await stack.useCases.createProduct({ ...product("E2E-V2", "borealis"), publishedAt: at });
          await stack.useCases.createProduct(product("E2E-V3", "borealis"));
          await eventually("all three indexed", async () => {
            const all = await stack.ports.index.search({
              q: "borealis",
              sort: "relevance",
              page: 1,
              size: 10,
            });
            return all.total === 3;
          });
          const visible = async () => (await search(stack, "borealis")).items.map((h) => h.sku);
          assert.deepEqual(await visible(), ["E2E-V3"]);
          const suggested = await stack.useCases.autocomplete({ prefix: "borea", limit: 5 });
          assert.deepEqual(suggested.map((s) => s.sku), ["E2E-V3"]);
          await assert.rejects(stack.useCases.getProduct("E2E-V2"), NotFound);
          const user = await stack.useCases.register({
            email: `v-${crypto.randomUUID()}@e2e.example`,
            password: "correct horse battery",
          });
          await assert.rejects(
            stack.useCases.placeOrder({
              userId: user.user.id,
              items: [{ sku: "E2E-V1", qty: 1 }, { sku: "E2E-V2", qty: 1 }],
            }),
            (e) => e instanceof InsufficientStock && e.skus.length === 2,
          );
          await eventually(
            "the scheduled product searchable at its time, with no write",
            async () => (await visible()).includes("E2E-V2"),
            10_000,
          );
          assert.ok(Date.now() >= at.getTime());
          assert.equal((await stack.useCases.getProduct("E2E-V2")).sku, "E2E-V2");
          const order = await stack.useCases.placeOrder({
            userId: user.user.id,
            items: [{ sku: "E2E-V2", qty: 1 }],
          });
          assert.equal(order.status, "pending");
          assert.deepEqual((await visible()).sort(), ["E2E-V2", "E2E-V3"]);
        }),
    );

    await t.step(
      "a stopped sync applies all 50 changes made meanwhile, each once",
      () =>
        withStack(async (stack) => {
          stack.startSync();
          const skus = Array.from({ length: 10 }, (_, i) => `E2E-S${i}`);
          for (const sku of skus) await stack.useCases.createProduct(product(sku, "nimbus"));
          await eventually(
            "10 products indexed",
            async () => (await search(stack, "nimbus")).total === 10,
            10_000,
          );
          await stack.stopSync();

          // 25 catalog changes and 25 stock changes while nothing consumes the feeds.
          for (let i = 0; i < 25; i++) {
            const sku = skus[i % 10];
            await stack.useCases.updateProduct(sku, { description: `nimbus revision ${i}` });
            await stack.useCases.adjustInventory(sku, { delta: 1 });
          }

          const puts: SearchDocument[] = [];
          const spy: SearchIndex = {
            search: (q) => stack.ports.index.search(q),
            autocomplete: (p, l) => stack.ports.index.autocomplete(p, l),
            put: (doc) => {
              puts.push(doc);
              return stack.ports.index.put(doc);
            },
            remove: (sku, version) => stack.ports.index.remove(sku, version),
            rebuild: (docs, progress) => stack.ports.index.rebuild(docs, progress),
          };
          const delivered: ChangeEvent[] = [];
          const feeds: ChangeFeed[] = stack.ports.feeds.map((feed) => ({
            name: feed.name,
            backlog: (after) => feed.backlog(after),
            head: () => feed.head(),
            poll: async (after, limit, waitMs) => {
              const events = await feed.poll(after, limit, waitMs);
              delivered.push(...events);
              return events;
            },
          }));
          stack.startSync({ index: spy, feeds });
          await eventually(
            "all 50 changes delivered",
            async () => delivered.length >= 50 && (await stack.useCases.syncStatus()).pending === 0,
            10_000,
          );
          await stack.stopSync();

          const keys = delivered.map((e) => `${e.source}:${e.checkpoint}`);
          assert.equal(delivered.length, 50, `exactly the 50 changes, none redelivered: ${keys}`);
          assert.equal(new Set(keys).size, 50);
          assert.equal(delivered.filter((e) => e.source === "catalog").length, 25);
          for (const sku of skus) {
            const item = await stack.ports.inventory.get(sku);
            const current = await stack.ports.catalog.get(sku);
            assert.ok(item && current, sku);
            const latest = current.version + item.version;
            const writes = puts.filter((d) => d.sku === sku);
            assert.ok(writes.length > 0, `${sku} was re-indexed`);
            for (const doc of writes) {
              assert.equal(doc.version, latest, `${sku}: only its latest state is written`);
              assert.equal(doc.description, current.description);
            }
          }
          const hits = (await search(stack, "nimbus")).items;
          for (const sku of skus) {
            const item = await stack.ports.inventory.get(sku);
            assert.equal(hits.find((h) => h.sku === sku)?.inStock, (item?.stock ?? 0) > 0);
          }
          const status = await stack.useCases.syncStatus();
          assert.deepEqual(status.parked, []);
        }),
    );

    await t.step(
      "a reindex under reads and writes never fails a search and keeps every edit",
      () =>
        withStack(async (stack) => {
          stack.startSync();
          const skus = Array.from({ length: 30 }, (_, i) => `E2E-R${String(i).padStart(2, "0")}`);
          for (const sku of skus) await stack.useCases.createProduct(product(sku, "aurora"));
          await eventually(
            "30 products indexed",
            async () => (await search(stack, "aurora")).total === 30,
            10_000,
          );

          let reading = true;
          const failures: string[] = [];
          let reads = 0;
          const reader = (async () => {
            while (reading) {
              try {
                const result = await search(stack, "aurora");
                reads++;
                if (result.total === 0) failures.push("empty result");
              } catch (error) {
                failures.push(String(error));
              }
            }
          })();
          const edits = new Map<string, string>();
          const writer = (async () => {
            for (let i = 0; i < 30; i++) {
              const sku = skus[i];
              const marker = `edit${i}x`;
              await stack.useCases.updateProduct(sku, { description: `aurora ${marker}` });
              edits.set(sku, marker);
              await new Promise((r) => setTimeout(r, 20));
            }
          })();
          const job = await stack.useCases.startReindex();
          await writer;
          await stack.useCases.reindexIdle();
          const finished = await stack.useCases.reindexJob();
          assert.equal(finished?.status, "succeeded", JSON.stringify(finished));
          assert.equal(finished?.id, job.id);

          await eventually("every edit searchable after the swap", async () => {
            for (const [sku, marker] of edits) {
              const hits = (await search(stack, marker)).items;
              if (!hits.some((h) => h.sku === sku)) return false;
            }
            return true;
          }, 10_000);
          reading = false;
          await reader;
          assert.deepEqual(failures, [], `${failures.length} of ${reads} searches failed`);
          assert.ok(reads > 10, `the reader searched throughout (${reads} searches)`);
        }),
    );
  },
});
