import type { Client } from "@elastic/elasticsearch";
import type {
  AutocompleteSuggestion,
  SearchDocument,
  SearchQuery,
  SearchResult,
} from "../../domain/search/search.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import { isIndexNotFound, isVersionConflict, toDomainError } from "./_errors.ts";
import { type TextAnalyzer, tombstone, toSource } from "./_mapping.ts";
import { delay, ProductIndices } from "./_product_indices.ts";
import {
  completionBody,
  completionSize,
  type Corrections,
  correctionsOf,
  didYouMean,
  normalizePrefix,
  queryTerms,
  searchBody,
  suggestBody,
  suggestEntries,
  toSearchResult,
  toSuggestions,
} from "./_query.ts";

export interface ElasticsearchSearchIndexOptions {
  /**
   * Names everything: concrete indices `<prefix>_v<N>`, the alias `<prefix>` that searches and
   * writes go through, and `<prefix>_next` on the index a rebuild is filling. Default
   * `products`; tests use a unique one.
   */
  readonly prefix?: string;
  readonly shards?: number;
  readonly replicas?: number;
  /** Buckets per term facet (category, brand). */
  readonly facetSize?: number;
  /** Documents per bulk request during a rebuild. */
  readonly bulkSize?: number;
  /**
   * How long a writer trusts its knowledge of whether a rebuild is running (in any process).
   * A rebuild waits this long after announcing its new index before reading its source.
   */
  readonly rebuildDiscoveryMs?: number;
  /** Wait between the alias swap and deleting the old index, for searches in flight. */
  readonly oldIndexGraceMs?: number;
}

const PREFIX = /^[a-z0-9][a-z0-9_-]{0,200}$/;
/** The most completion options one autocomplete asks for while skipping unpublished ones. */
const MAX_COMPLETION_OPTIONS = 5_000;
/** Elasticsearch's default `index.max_result_window`. */
const MAX_RESULT_WINDOW = 10_000;

type Target = "alias" | "next";

/**
 * `SearchIndex` on Elasticsearch 8 (core features only: no scripts, no `_reindex`).
 *
 * Writes use external versioning (`version_type: external`, the document's version): a write
 * that is not newer is refused with 409 and ignored. Deletes index a tombstone document so the
 * version survives (a real delete keeps it only for `index.gc_deletes`). Writes go through
 * the alias with `require_alias`, so a swapped-out index is never auto-created again.
 *
 * `rebuild` creates `<prefix>_v<N+1>` carrying `<prefix>_next`, bulk-loads it while every
 * writer (in this process at once, in others within `rebuildDiscoveryMs`) also writes there,
 * refreshes it, moves the alias in one `_aliases` call, then deletes the old index. Searches
 * answer from the old index until the swap. One rebuild at a time per prefix: a rebuild
 * deletes indices of the prefix that the alias does not point at (leftovers of an
 * interrupted one).
 *
 * Unreachable server, timeouts, 429 and 5xx: `DependencyUnavailable("elasticsearch")`.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  readonly #client: Client;
  readonly #prefix: string;
  readonly #alias: string;
  readonly #next: string;
  readonly #indices: ProductIndices;
  readonly #facetSize: number;
  readonly #bulkSize: number;
  readonly #discoveryMs: number;
  readonly #graceMs: number;
  #rebuilding = false;
  #nextKnown: { exists: boolean; until: number } | null = null;

  constructor(client: Client, options: ElasticsearchSearchIndexOptions = {}) {
    const prefix = options.prefix ?? "products";
    if (!PREFIX.test(prefix)) throw new RangeError(`invalid index prefix: ${prefix}`);
    this.#client = client;
    this.#prefix = prefix;
    this.#alias = prefix;
    this.#next = `${prefix}_next`;
    this.#indices = new ProductIndices(client, prefix, options.shards ?? 1, options.replicas ?? 0);
    this.#facetSize = options.facetSize ?? 100;
    this.#bulkSize = options.bulkSize ?? 500;
    this.#discoveryMs = options.rebuildDiscoveryMs ?? 1_000;
    this.#graceMs = options.oldIndexGraceMs ?? 1_000;
  }

  /** The alias searches use. */
  get alias(): string {
    return this.#alias;
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.#read(async () => {
      const from = Math.min((query.page - 1) * query.size, MAX_RESULT_WINDOW);
      const size = Math.max(0, Math.min(query.size, MAX_RESULT_WINDOW - from));
      const send = (corrections?: Corrections) =>
        this.#client.search({
          index: this.#alias,
          ...searchBody(query, this.#facetSize, corrections),
          from,
          size,
        } as never);
      // The words as typed first; their misspelt ones corrected only when that finds nothing.
      const exact = toSearchResult(query, await send());
      if (exact.total > 0 || queryTerms(query.q).length === 0) return exact;
      const entries = suggestEntries(
        await this.#client.search({ index: this.#alias, ...suggestBody(query) } as never),
      );
      const suggestions = didYouMean(entries);
      const corrections = correctionsOf(entries);
      if (corrections === null) return { ...exact, suggestions };
      return { ...toSearchResult(query, await send(corrections)), suggestions };
    });
  }

  /**
   * With `publishedBy`, unpublished options are left out after the suggester answers (it
   * cannot range-filter); while that leaves fewer than `limit` and the suggester had more,
   * it is asked again for four times as many options, up to MAX_COMPLETION_OPTIONS.
   */
  autocomplete(
    prefix: string,
    limit: number,
    publishedBy?: Date,
  ): Promise<AutocompleteSuggestion[]> {
    const wanted = normalizePrefix(prefix);
    if (wanted === "" || limit <= 0) return Promise.resolve([]);
    return this.#read(async () => {
      let size = completionSize(limit);
      for (;;) {
        const response = await this.#client.search({
          index: this.#alias,
          ...completionBody(wanted, size),
        } as never);
        const { suggestions, options } = toSuggestions(response, limit, publishedBy);
        if (suggestions.length >= limit || options < size || size >= MAX_COMPLETION_OPTIONS) {
          return suggestions;
        }
        size = Math.min(size * 4, MAX_COMPLETION_OPTIONS);
      }
    });
  }

  put(doc: SearchDocument): Promise<void> {
    return this.#write(doc.sku, doc.version, toSource(doc));
  }

  remove(sku: string, version: number): Promise<void> {
    return this.#write(sku, version, tombstone(sku, version));
  }

  async rebuild(
    docs: AsyncIterable<SearchDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    if (this.#rebuilding) throw new Error(`a rebuild of ${this.#alias} is already running`);
    this.#rebuilding = true;
    let created: string | null = null;
    let swapped = false;
    try {
      await this.#indices.ensureReady();
      const live = await this.#indices.aliasIndices(this.#alias);
      await this.#indices.dropIndices(
        (await this.#indices.versionedIndices()).filter((i) => !live.includes(i)),
      );
      created = `${this.#prefix}_v${await this.#indices.nextVersion()}`;
      await this.#indices.createIndex(created, { [this.#next]: {} }, "-1");
      this.#nextKnown = { exists: true, until: Infinity };
      // Writers elsewhere learn of the new index within discoveryMs; anything they write from
      // sources read after that reaches it, and the source below is read after it too.
      await delay(this.#discoveryMs + 100);

      const indexed = await this.#indices.fill(docs, this.#bulkSize, onProgress);
      const old = await this.#indices.publish(created);
      swapped = true;
      this.#nextKnown = null;
      if (old.length > 0) {
        await delay(this.#graceMs);
        await this.#indices.dropIndices(old);
      }
      return { indexed };
    } catch (error) {
      if (created !== null && !swapped) {
        await this.#client.indices.delete({ index: created, ignore_unavailable: true })
          .catch(() => {});
      }
      throw toDomainError(error);
    } finally {
      this.#rebuilding = false;
      this.#nextKnown = null;
    }
  }

  /** Which analyzer the live index was created with (its `_meta`). */
  async analyzer(): Promise<TextAnalyzer> {
    return await this.#read(async () => {
      const mapping = await this.#client.indices.getMapping({ index: this.#alias });
      const [first] = Object.values(mapping);
      const meta = first?.mappings?._meta as { analyzer?: TextAnalyzer } | undefined;
      if (meta?.analyzer !== "english" && meta?.analyzer !== "standard") {
        throw new Error(`index behind ${this.#alias} records no analyzer`);
      }
      return meta.analyzer;
    });
  }

  // ---------------------------------------------------------------------------------------

  async #read<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.#indices.ensureReady();
      try {
        return await operation();
      } catch (error) {
        if (!isIndexNotFound(error)) throw error;
        this.#indices.forget(); // the alias vanished (deleted by hand): recreate once
        await this.#indices.ensureReady();
        return await operation();
      }
    } catch (error) {
      throw toDomainError(error);
    }
  }

  async #write(id: string, version: number, document: Record<string, unknown>): Promise<void> {
    try {
      await this.#indices.ensureReady();
      const targets: Target[] = (await this.#rebuildRunning()) ? ["alias", "next"] : ["alias"];
      await Promise.all(targets.map((target) => this.#writeTo(target, id, version, document)));
    } catch (error) {
      throw toDomainError(error);
    }
  }

  async #writeTo(
    target: Target,
    id: string,
    version: number,
    document: Record<string, unknown>,
  ): Promise<void> {
    const index = target === "alias" ? this.#alias : this.#next;
    try {
      await this.#client.index({
        index,
        id,
        version,
        version_type: "external",
        require_alias: true,
        document,
      });
    } catch (error) {
      if (isVersionConflict(error)) return;
      if (isIndexNotFound(error)) {
        if (target === "next") {
          // The rebuild swapped meanwhile: the alias now names the new index.
          this.#nextKnown = null;
          return await this.#writeTo("alias", id, version, document);
        }
        this.#indices.forget();
        await this.#indices.ensureReady();
        return await this.#writeTo("alias", id, version, document);
      }
      throw error;
    }
  }

  async #rebuildRunning(): Promise<boolean> {
    const now = Date.now();
    if (this.#nextKnown === null || this.#nextKnown.until <= now) {
      const exists = await this.#client.indices.existsAlias({ name: this.#next });
      this.#nextKnown = { exists, until: now + this.#discoveryMs };
    }
    return this.#nextKnown.exists;
  }
}
