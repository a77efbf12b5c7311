/**
 * Helpers shared by the `SearchIndex` contract's step files (`searchIndexContract` in
 * search_index_contract.ts runs them in one `Deno.test`).
 */
import assert from "node:assert/strict";
import type { SearchDocument, SearchQuery, SearchResult } from "../../domain/search/search.ts";
import type { SearchIndex } from "../search/search_index.ts";

/** Retries `check` on what `probe` returns until it passes or the time is up. */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => void,
  timeoutMs = VISIBLE_WITHIN_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export const VISIBLE_WITHIN_MS = 3_000;

/** Writes a marker document and waits until it is searchable: earlier writes are then too. */
export async function settle(index: SearchIndex): Promise<void> {
  const marker = doc({ category: uniqueCategory() });
  await index.put(marker);
  await eventually(
    () => index.search(query({ category: marker.category })),
    (r) => assert.equal(r.total, 1),
  );
  await index.remove(marker.sku, marker.version + 1);
}

export function uid(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

/** Ten random lower-case letters: a word no other test indexes. */
export function uniqueWord(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return "q" + [...bytes.slice(1)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
}

export function uniqueCategory(): string {
  return `contract-${uid()}`;
}

export function cap(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

export function doc(overrides: Partial<SearchDocument> = {}): SearchDocument {
  const sku = overrides.sku ?? `SKU-${uid()}`;
  const name = overrides.name ?? `Item ${sku}`;
  return {
    sku,
    name,
    slug: `slug-${sku.toLowerCase()}`,
    description: "",
    category: "contract",
    brand: "Acme",
    tags: [],
    attrs: {},
    facetAttrs: {},
    facetNames: [],
    priceCents: 1_000,
    currency: "USD",
    rating: 0,
    ratingCount: 0,
    inStock: true,
    publishedAt: new Date("2025-01-01T00:00:00.000Z"),
    updatedAt: new Date("2025-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

export function query(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return { q: "", sort: "relevance", page: 1, size: 50, ...overrides };
}

export function skus(result: SearchResult): string[] {
  return result.items.map((hit) => hit.sku);
}

export function names(result: SearchResult): string[] {
  return result.items.map((hit) => hit.name).sort();
}
