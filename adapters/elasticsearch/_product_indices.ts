/**
 * The concrete indices behind the product index's alias: `<prefix>_v<N>`, the alias `<prefix>`
 * and `<prefix>_next` on the index a rebuild is filling. Creates the first one when the alias
 * is missing (with the analyzer the server has), numbers, lists and drops versions,
 * bulk-loads the index being built and moves the alias onto it. `ElasticsearchSearchIndex`
 * reads, writes and rebuilds through it. (`_aliased_index.ts` does the same for other indices but writes `external_gte`
 * and takes the mapping as a body; the product index keeps `external` and its own mapping.)
 */
import type { Client } from "@elastic/elasticsearch";
import type { SearchDocument } from "../../domain/search/search.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { errorType, isUnavailable } from "./_errors.ts";
import { indexBody, type TextAnalyzer, toSource } from "./_mapping.ts";

export class ProductIndices {
  readonly #client: Client;
  readonly #prefix: string;
  readonly #alias: string;
  readonly #next: string;
  readonly #shards: number;
  readonly #replicas: number;
  #ready: Promise<void> | null = null;

  constructor(client: Client, prefix: string, shards: number, replicas: number) {
    this.#client = client;
    this.#prefix = prefix;
    this.#alias = prefix;
    this.#next = `${prefix}_next`;
    this.#shards = shards;
    this.#replicas = replicas;
  }

  /** Forgets that the alias exists (it vanished): the next `ensureReady` checks again. */
  forget(): void {
    this.#ready = null;
  }

  /**
   * Bulk-indexes into the index being built. Items refused for a moment (429 when the node is
   * busy; 503 `unavailable_shards_exception` while a shard's copy moves to another node, e.g.
   * when a node leaves) are sent again with backoff; when they keep failing the rebuild fails
   * as `DependencyUnavailable`. Version conflicts (409) mean a newer copy is there already.
   */
  async bulk(docs: readonly SearchDocument[]): Promise<void> {
    let pending = docs;
    for (let attempt = 1;; attempt++) {
      const operations = pending.flatMap((doc) => [
        { index: { _id: doc.sku, version: doc.version, version_type: "external" as const } },
        toSource(doc),
      ]);
      const response = await this.#client.bulk({
        index: this.#next,
        require_alias: true,
        operations,
      });
      if (!response.errors) return;
      const failed = response.items
        .map((item, i) => ({ result: item.index, doc: pending[i]! }))
        .filter(({ result }) => result?.error && result.status !== 409);
      if (failed.length === 0) return;
      const permanent = failed.filter(({ result }) => !RETRYABLE_ITEM.has(result!.status));
      if (permanent.length > 0) {
        const first = permanent[0]!.result!;
        throw new Error(
          `bulk indexing failed for ${permanent.length} documents, e.g. ${first._id}: ` +
            `${first.error?.type}: ${first.error?.reason}`,
        );
      }
      if (attempt >= BULK_ATTEMPTS) {
        const first = failed[0]!.result!;
        throw new DependencyUnavailable(
          "elasticsearch",
          new Error(`${failed.length} documents refused: ${first.error?.type}`),
        );
      }
      pending = failed.map(({ doc }) => doc);
      await delay(Math.min(2_000, 100 * 2 ** attempt));
    }
  }

  ensureReady(): Promise<void> {
    this.#ready ??= this.#createIfMissing().catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  /** Bulk-loads `docs` into the index being built, `bulkSize` at a time; returns how many. */
  async fill(
    docs: AsyncIterable<SearchDocument>,
    bulkSize: number,
    onProgress?: (indexed: number) => void,
  ): Promise<number> {
    let indexed = 0;
    let batch: SearchDocument[] = [];
    const flush = async () => {
      await this.bulk(batch);
      indexed += batch.length;
      batch = [];
      onProgress?.(indexed);
    };
    for await (const doc of docs) {
      batch.push(doc);
      if (batch.length >= bulkSize) await flush();
    }
    if (batch.length > 0) await flush();
    if (indexed === 0) onProgress?.(0);
    return indexed;
  }

  /**
   * Makes the filled index `created` searchable: the default refresh interval back, one
   * refresh, then one `_aliases` call moves the alias onto it and takes `_next` off. Returns
   * the indices the alias named before, for the caller to drop after a grace period.
   */
  async publish(created: string): Promise<string[]> {
    await this.#client.indices.putSettings({
      index: created,
      settings: { index: { refresh_interval: "1s" } }, // the default
    });
    await this.#client.indices.refresh({ index: created });
    const old = await this.aliasIndices(this.#alias);
    await this.#client.indices.updateAliases({
      actions: [
        ...old.map((index) => ({ remove: { index, alias: this.#alias } })),
        { add: { index: created, alias: this.#alias } },
        { remove: { index: created, alias: this.#next } },
      ],
    });
    return old;
  }

  async #createIfMissing(): Promise<void> {
    if (await this.#client.indices.existsAlias({ name: this.#alias })) return;
    const index = `${this.#prefix}_v${await this.nextVersion()}`;
    try {
      // The write index flag makes a second process that raced us to a newer version fail
      // instead of adding its index to the alias too (an alias over two indices without a write
      // index refuses every write; seen with two workers starting together).
      await this.createIndex(index, { [this.#alias]: { is_write_index: true } }, null);
    } catch (error) {
      // Another process created it first.
      if (isUnavailable(error)) throw error;
      if (await this.#client.indices.existsAlias({ name: this.#alias })) return;
      throw error;
    }
  }

  async createIndex(
    index: string,
    aliases: Record<string, { is_write_index?: boolean }>,
    refreshInterval: string | null,
  ): Promise<void> {
    const analyzer = await this.#detectAnalyzer();
    const body = indexBody({ analyzer, shards: this.#shards, replicas: this.#replicas });
    await this.#client.indices.create({
      index,
      aliases,
      mappings: body.mappings,
      settings: {
        ...body.settings,
        ...(refreshInterval === null ? {} : { refresh_interval: refreshInterval }),
      },
    } as never);
  }

  /** `english` when the server has it (analysis-common), else `standard`. */
  async #detectAnalyzer(): Promise<TextAnalyzer> {
    try {
      await this.#client.indices.analyze({ analyzer: "english", text: "running shoes" });
      return "english";
    } catch (error) {
      if (errorType(error) === "illegal_argument_exception") return "standard";
      throw error;
    }
  }

  async versionedIndices(): Promise<string[]> {
    const resolved = await this.#client.indices.resolveIndex({
      name: `${this.#prefix}_v*`,
      expand_wildcards: "all",
    });
    const pattern = new RegExp(`^${this.#prefix}_v\\d+$`);
    return resolved.indices.map((i) => i.name).filter((name) => pattern.test(name));
  }

  async nextVersion(): Promise<number> {
    const versions = (await this.versionedIndices())
      .map((name) => Number(name.slice(this.#prefix.length + 2)));
    return Math.max(0, ...versions) + 1;
  }

  async aliasIndices(alias: string): Promise<string[]> {
    if (!(await this.#client.indices.existsAlias({ name: alias }))) return [];
    return Object.keys(await this.#client.indices.getAlias({ name: alias }));
  }

  async dropIndices(indices: readonly string[]): Promise<void> {
    if (indices.length === 0) return;
    await this.#client.indices.delete({ index: indices.join(","), ignore_unavailable: true });
  }
}

/** Bulk item statuses worth sending again: too many requests, shards unavailable for now. */
const RETRYABLE_ITEM = new Set([429, 503]);
const BULK_ATTEMPTS = 6;

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
