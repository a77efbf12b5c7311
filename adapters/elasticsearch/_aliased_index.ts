/**
 * An alias over versioned indices with rebuild-and-swap, for derived indices other than the
 * product index (which keeps its own copy of this machinery in _product_indices.ts): concrete
 * indices `<alias>_v<N>`, the alias searches and writes go through, and `<alias>_next` on the
 * index a rebuild is filling. Writes use external versioning (`external_gte`: an older version
 * is refused with 409 and ignored; an equal one replaces) and `require_alias`, and go to the
 * index being rebuilt too, so a rebuild keeps every write that arrives while it runs.
 */
import type { Client } from "@elastic/elasticsearch";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { isIndexNotFound, isUnavailable, isVersionConflict, toDomainError } from "./_errors.ts";

export interface AliasedIndexOptions {
  readonly alias: string;
  /** `mappings` and `settings` of a new concrete index. */
  readonly body: () => { mappings: unknown; settings: Record<string, unknown> };
  readonly bulkSize?: number;
  /** How long a writer trusts its knowledge of whether a rebuild is running anywhere. */
  readonly rebuildDiscoveryMs?: number;
  /** Wait between the alias swap and deleting the old index, for searches in flight. */
  readonly oldIndexGraceMs?: number;
}

const ALIAS = /^[a-z0-9][a-z0-9_-]{0,200}$/;
const RETRYABLE_ITEM = new Set([429, 503]);
const BULK_ATTEMPTS = 6;

export interface VersionedWrite {
  readonly id: string;
  readonly version: number;
  readonly document: Record<string, unknown>;
}

export class AliasedIndex {
  readonly alias: string;
  readonly #next: string;
  readonly #bulkSize: number;
  readonly #discoveryMs: number;
  readonly #graceMs: number;
  #ready: Promise<void> | null = null;
  #rebuilding = false;
  #nextKnown: { exists: boolean; until: number } | null = null;

  constructor(private readonly client: Client, private readonly options: AliasedIndexOptions) {
    if (!ALIAS.test(options.alias)) throw new RangeError(`invalid index name: ${options.alias}`);
    this.alias = options.alias;
    this.#next = `${options.alias}_next`;
    this.#bulkSize = options.bulkSize ?? 500;
    this.#discoveryMs = options.rebuildDiscoveryMs ?? 1_000;
    this.#graceMs = options.oldIndexGraceMs ?? 1_000;
  }

  /** Runs a read against the alias, creating the index first if it is missing. */
  async read<T>(operation: (alias: string) => Promise<T>): Promise<T> {
    try {
      await this.#ensureReady();
      try {
        return await operation(this.alias);
      } catch (error) {
        if (!isIndexNotFound(error)) throw error;
        this.#ready = null; // the alias vanished (deleted by hand): recreate once
        await this.#ensureReady();
        return await operation(this.alias);
      }
    } catch (error) {
      throw toDomainError(error);
    }
  }

  async write(w: VersionedWrite): Promise<void> {
    try {
      await this.#ensureReady();
      const targets = (await this.#rebuildRunning()) ? [this.alias, this.#next] : [this.alias];
      await Promise.all(targets.map((index) => this.#writeTo(index, w)));
    } catch (error) {
      throw toDomainError(error);
    }
  }

  async rebuild(
    writes: AsyncIterable<VersionedWrite>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    if (this.#rebuilding) throw new Error(`a rebuild of ${this.alias} is already running`);
    this.#rebuilding = true;
    let created: string | null = null;
    let swapped = false;
    try {
      await this.#ensureReady();
      const live = await this.#aliasIndices(this.alias);
      await this.#drop((await this.#versionedIndices()).filter((i) => !live.includes(i)));
      created = `${this.alias}_v${await this.#nextVersion()}`;
      await this.#create(created, { [this.#next]: {} }, "-1");
      this.#nextKnown = { exists: true, until: Infinity };
      // Writers elsewhere learn of the new index within discoveryMs; the source is read after.
      await delay(this.#discoveryMs + 100);
      let indexed = 0;
      let batch: VersionedWrite[] = [];
      const flush = async () => {
        await this.#bulk(created!, batch);
        indexed += batch.length;
        batch = [];
        onProgress?.(indexed);
      };
      for await (const w of writes) {
        batch.push(w);
        if (batch.length >= this.#bulkSize) await flush();
      }
      if (batch.length > 0 || indexed === 0) await flush();
      await this.client.indices.putSettings({
        index: created,
        settings: { index: { refresh_interval: "1s" } },
      });
      await this.client.indices.refresh({ index: created });
      const old = await this.#aliasIndices(this.alias);
      await this.client.indices.updateAliases({
        actions: [
          ...old.map((index) => ({ remove: { index, alias: this.alias } })),
          { add: { index: created, alias: this.alias, is_write_index: true } },
          { remove: { index: created, alias: this.#next } },
        ],
      });
      swapped = true;
      this.#nextKnown = null;
      if (old.length > 0) {
        await delay(this.#graceMs);
        await this.#drop(old);
      }
      return { indexed };
    } catch (error) {
      if (created !== null && !swapped) {
        await this.client.indices.delete({ index: created, ignore_unavailable: true })
          .catch(() => {});
      }
      throw toDomainError(error);
    } finally {
      this.#rebuilding = false;
      this.#nextKnown = null;
    }
  }

  /** Deletes every concrete index of the alias (tests). */
  async dispose(): Promise<void> {
    await this.#drop(await this.#versionedIndices());
  }

  async #writeTo(index: string, w: VersionedWrite): Promise<void> {
    try {
      await this.client.index({
        index,
        id: w.id,
        version: w.version,
        version_type: "external_gte",
        require_alias: true,
        document: w.document,
      });
    } catch (error) {
      if (isVersionConflict(error)) return;
      if (!isIndexNotFound(error)) throw error;
      if (index === this.#next) {
        this.#nextKnown = null; // the rebuild swapped meanwhile: the alias names it now
      } else {
        this.#ready = null;
        await this.#ensureReady();
      }
      await this.#writeTo(this.alias, w);
    }
  }

  async #rebuildRunning(): Promise<boolean> {
    const now = Date.now();
    if (this.#nextKnown === null || this.#nextKnown.until <= now) {
      const exists = await this.client.indices.existsAlias({ name: this.#next });
      this.#nextKnown = { exists, until: now + this.#discoveryMs };
    }
    return this.#nextKnown.exists;
  }

  /** Bulk-indexes into `index`; 429/503 items are sent again with backoff, 409s are older. */
  async #bulk(index: string, writes: readonly VersionedWrite[]): Promise<void> {
    let pending = writes;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const response = await this.client.bulk({
        index,
        operations: pending.flatMap((w) => [
          { index: { _id: w.id, version: w.version, version_type: "external_gte" as const } },
          w.document,
        ]),
      });
      if (!response.errors) return;
      const failed = response.items
        .map((item, i) => ({ result: item.index, w: pending[i]! }))
        .filter(({ result }) => result?.error && result.status !== 409);
      const permanent = failed.filter(({ result }) => !RETRYABLE_ITEM.has(result!.status));
      if (permanent.length > 0) {
        const first = permanent[0]!.result!;
        throw new Error(
          `bulk indexing failed for ${permanent.length} documents, e.g. ${first._id}: ` +
            `${first.error?.type}: ${first.error?.reason}`,
        );
      }
      if (failed.length > 0 && attempt >= BULK_ATTEMPTS) {
        throw new DependencyUnavailable(
          "elasticsearch",
          new Error(`${failed.length} documents refused`),
        );
      }
      pending = failed.map(({ w }) => w);
      if (pending.length > 0) await delay(Math.min(2_000, 100 * 2 ** attempt));
    }
  }

  #ensureReady(): Promise<void> {
    this.#ready ??= this.#createIfMissing().catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  async #createIfMissing(): Promise<void> {
    if (await this.client.indices.existsAlias({ name: this.alias })) return;
    const index = `${this.alias}_v${await this.#nextVersion()}`;
    try {
      // As the write index: a second process racing to a newer version fails instead.
      await this.#create(index, { [this.alias]: { is_write_index: true } }, null);
    } catch (error) {
      if (isUnavailable(error)) throw error;
      if (await this.client.indices.existsAlias({ name: this.alias })) return;
      throw error;
    }
  }

  async #create(
    index: string,
    aliases: Record<string, { is_write_index?: boolean }>,
    refreshInterval: string | null,
  ): Promise<void> {
    const body = this.options.body();
    await this.client.indices.create({
      index,
      aliases,
      mappings: body.mappings,
      settings: {
        ...body.settings,
        ...(refreshInterval === null ? {} : { refresh_interval: refreshInterval }),
      },
    } as never);
  }

  async #versionedIndices(): Promise<string[]> {
    const resolved = await this.client.indices.resolveIndex({
      name: `${this.alias}_v*`,
      expand_wildcards: "all",
    });
    const pattern = new RegExp(`^${this.alias}_v\\d+$`);
    return resolved.indices.map((i) => i.name).filter((name) => pattern.test(name));
  }

  async #nextVersion(): Promise<number> {
    const versions = (await this.#versionedIndices())
      .map((name) => Number(name.slice(this.alias.length + 2)));
    return Math.max(0, ...versions) + 1;
  }

  async #aliasIndices(alias: string): Promise<string[]> {
    if (!(await this.client.indices.existsAlias({ name: alias }))) return [];
    return Object.keys(await this.client.indices.getAlias({ name: alias }));
  }

  async #drop(indices: readonly string[]): Promise<void> {
    if (indices.length === 0) return;
    await this.client.indices.delete({ index: indices.join(","), ignore_unavailable: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
