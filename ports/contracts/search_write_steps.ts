/**
 * Publication and versioned writes, part of the `SearchIndex` contract (`searchIndexContract`
 * runs these steps in its one `Deno.test`, in order): publishedBy, stale versions and replays,
 * tombstones, and a rebuild that serves the old index until it swaps.
 */
import assert from "node:assert/strict";
import type { SearchDocument } from "../../domain/search/search.ts";
import type { Step } from "./_fixture.ts";
import type { SearchIndex } from "../search/search_index.ts";
import {
  cap,
  doc,
  eventually,
  names,
  query,
  settle,
  skus,
  uid,
  uniqueCategory,
  uniqueWord,
} from "./_search_fixture.ts";

/** publishedBy in search and autocomplete, versions, tombstones and rebuild. */
export async function publicationAndWriteSteps(step: Step<SearchIndex>): Promise<void> {
  await step(
    "publishedBy leaves drafts and scheduled documents out of hits, facets and totals",
    async (index) => {
      const category = uniqueCategory();
      const word = uniqueWord();
      const now = new Date("2026-06-01T12:00:00.000Z");
      const live = doc({ category, name: `${word} live`, brand: "Acme", publishedAt: now });
      const draft = doc({
        category,
        name: `${word} draft`,
        brand: "Bolt",
        priceCents: 60_000,
        publishedAt: null,
      });
      const soon = doc({
        category,
        name: `${word} soon`,
        brand: "Cog",
        priceCents: 30_000,
        publishedAt: new Date(now.getTime() + 1),
      });
      for (const x of [live, draft, soon]) await index.put(x);
      await eventually(
        () => index.search(query({ q: word, category })),
        (r) => assert.equal(r.total, 3, "no publishedBy: every document"),
      );
      // Without a category filter (the word is unique), so the facet counts the roots.
      const at = (publishedBy: Date) => index.search(query({ q: word, publishedBy }));
      const visible = await at(now);
      assert.deepEqual(skus(visible), [live.sku]);
      assert.equal(visible.total, 1);
      assert.deepEqual(visible.facets.category, [{ value: category, count: 1 }]);
      assert.deepEqual(visible.facets.brand, [{ value: "Acme", count: 1 }]);
      assert.deepEqual(visible.facets.price.map((b) => b.count), [1, 0, 0, 0]);
      const filtersOnly = await index.search(query({ category, publishedBy: now }));
      assert.deepEqual(skus(filtersOnly), [live.sku]);
      // One millisecond later the scheduled document is found, with no write.
      const later = await at(new Date(now.getTime() + 1));
      assert.deepEqual(skus(later).sort(), [live.sku, soon.sku].sort());
      assert.deepEqual(later.facets.brand.map((f) => f.value), ["Acme", "Cog"]);
    },
  );

  await step(
    "autocomplete with publishedBy skips unpublished names, still up to the limit",
    async (index) => {
      const category = uniqueCategory();
      const word = uniqueWord();
      const now = new Date("2026-06-01T12:00:00.000Z");
      // Many better-rated unpublished names rank above the published ones: an adapter
      // that filtered only the first options it fetched would return too few.
      const hidden = Array.from({ length: 30 }, (_, i) =>
        doc({
          category,
          name: `${cap(word)} Hidden ${i}`,
          rating: 5,
          publishedAt: i % 2 === 0 ? null : new Date(now.getTime() + 60_000),
        }));
      const shown = [1, 2, 3].map((i) =>
        doc({ category, name: `${cap(word)} Shown ${i}`, rating: i, publishedAt: now })
      );
      for (const x of [...hidden, ...shown]) await index.put(x);
      const prefix = word.slice(0, 6);
      await eventually(
        () => index.autocomplete(prefix, 50),
        (found) => assert.equal(found.length, 33, "no publishedBy: every name"),
      );
      const suggest = (limit: number, at = now) => index.autocomplete(prefix, limit, at);
      const best = [shown[2], shown[1], shown[0]].map(({ sku, name, slug }) => ({
        sku,
        name,
        slug,
      }));
      assert.deepEqual(await suggest(2), best.slice(0, 2));
      assert.deepEqual(await suggest(10), best);
      const scheduled = await suggest(100, new Date(now.getTime() + 60_000));
      assert.equal(scheduled.length, 18, "scheduled names join at their time");
    },
  );

  await step("an older version is ignored and a replay is harmless", async (index) => {
    const category = uniqueCategory();
    const sku = `${uid()}-v`;
    const find = () => index.search(query({ category }));
    await index.put(doc({ sku, category, name: "Second", version: 2 }));
    await eventually(find, (r) => assert.deepEqual(names(r), ["Second"]));
    await index.put(doc({ sku, category, name: "First", version: 1 }));
    await index.put(doc({ sku, category, name: "Second again", version: 2 }));
    await settle(index);
    assert.deepEqual(names(await find()), ["Second"]);
    await index.put(doc({ sku, category, name: "Third", version: 3 }));
    await eventually(find, (r) => assert.deepEqual(names(r), ["Third"]));
  });

  await step("remove is versioned and leaves a tombstone", async (index) => {
    const category = uniqueCategory();
    const sku = `${uid()}-r`;
    const find = () => index.search(query({ category }));
    await index.put(doc({ sku, category, name: "Five", version: 5 }));
    await eventually(find, (r) => assert.deepEqual(names(r), ["Five"]));
    await index.remove(sku, 4);
    await settle(index);
    assert.deepEqual(names(await find()), ["Five"], "an older remove is ignored");
    await index.remove(sku, 6);
    await eventually(find, (r) => assert.equal(r.total, 0));
    await index.put(doc({ sku, category, name: "Old", version: 5 }));
    await index.put(doc({ sku, category, name: "Same", version: 6 }));
    await index.remove(sku, 6);
    await settle(index);
    assert.equal((await find()).total, 0, "puts not newer than the remove are ignored");
    await index.put(doc({ sku, category, name: "Seven", version: 7 }));
    await eventually(find, (r) => assert.deepEqual(names(r), ["Seven"]));
    const never = `${uid()}-n`;
    await index.remove(never, 3);
    await index.put(doc({ sku: never, category, name: "Stale", version: 2 }));
    await settle(index);
    assert.deepEqual(names(await find()), ["Seven"], "removing an unknown SKU is recorded");
  });

  await step(
    "rebuild serves the old index meanwhile, swaps, and keeps writes",
    async (index) => {
      const category = uniqueCategory();
      const base = uid();
      const orphan = doc({ sku: `${base}-orphan`, category, name: "Orphan", version: 1 });
      const kept = doc({ sku: `${base}-kept`, category, name: "Kept", version: 1 });
      await index.put(orphan);
      await index.put(kept);
      const find = () => index.search(query({ category }));
      await eventually(find, (r) => assert.deepEqual(names(r), ["Kept", "Orphan"]));

      const first = doc({ sku: `${base}-first`, category, name: "First", version: 1 });
      const doomed = doc({ sku: `${base}-doomed`, category, name: "Doomed", version: 1 });
      const last = doc({ sku: `${base}-last`, category, name: "Last", version: 1 });
      const paused = Promise.withResolvers<void>();
      const resume = Promise.withResolvers<void>();
      async function* source(): AsyncGenerator<SearchDocument> {
        yield { ...kept, name: "Kept", version: 2 };
        yield first;
        yield doomed;
        paused.resolve();
        await resume.promise;
        yield last;
      }
      const progress: number[] = [];
      const rebuilding = index.rebuild(source(), (n) => progress.push(n));
      await paused.promise;
      assert.deepEqual(names(await find()), ["Kept", "Orphan"], "old index keeps serving");
      const late = doc({ sku: `${base}-late`, category, name: "Late", version: 1 });
      await index.put(late);
      await index.remove(doomed.sku, 2);
      await index.put({ ...kept, name: "Kept v3", version: 3 });
      resume.resolve();
      assert.deepEqual(await rebuilding, { indexed: 4 });
      assert.equal(progress.at(-1), 4, "the last progress report is the total");
      await eventually(
        find,
        (r) => assert.deepEqual(names(r), ["First", "Kept v3", "Last", "Late"]),
      );
    },
  );
}
