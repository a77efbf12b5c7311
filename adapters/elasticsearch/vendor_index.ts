import type { Client } from "@elastic/elasticsearch";
import { z } from "zod";
import type { VendorHit, VendorSearchDocument } from "../../domain/vendors/vendor.ts";
import type { Page, PageRequest } from "../../domain/pagination.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import { isIndexNotFound, isUnavailable, isVersionConflict, toDomainError } from "./_errors.ts";
import { queryTerms } from "./_query.ts";

export interface ElasticsearchVendorIndexOptions {
  /** The alias searched and written (concrete indices `<name>_v<N>`). Default `vendors`. */
  readonly name?: string;
}

/** Bumped when the vendor mapping changes; recorded in the index `_meta`. */
export const VENDOR_SCHEMA_VERSION = 1;
const NAME = /^[a-z0-9][a-z0-9_-]{0,200}$/;
const MAX_RESULT_WINDOW = 10_000;

const text = { type: "text", analyzer: "standard" } as const;
const MAPPING = {
  dynamic: "strict",
  _meta: { schemaVersion: VENDOR_SCHEMA_VERSION, owner: "polycart" },
  properties: {
    id: { type: "keyword" },
    deleted: { type: "boolean" },
    slug: { type: "keyword", fields: { text } },
    businessName: { ...text, fields: { keyword: { type: "keyword", ignore_above: 256 } } },
    description: text,
    city: text,
    country: { type: "keyword", fields: { text } },
    certifications: text,
    version: { type: "long" },
  },
} as const;

const FIELDS = [
  "businessName^3",
  "slug.text^2",
  "certifications^1.5",
  "city^1.5",
  "country.text",
  "description",
];

const Hit = z.object({
  id: z.string(),
  slug: z.string(),
  businessName: z.string(),
  city: z.string(),
  country: z.string(),
});
const Response = z.object({
  hits: z.object({
    total: z.object({ value: z.number() }),
    hits: z.array(z.object({ _source: Hit })),
  }),
});

/**
 * `VendorIndex` on Elasticsearch (core features only). Every query word must match a field
 * (`multi_match`, AUTO fuzziness), best first, ties by slug. Writes use external versioning
 * and `refresh: wait_for` (vendor writes are rare; a search right after sees them); deletes
 * are tombstones. `rebuild` creates `<name>_v<N+1>` carrying the alias `<name>_next`, fills it,
 * swaps the alias and drops the old index; while `<name>_next` exists every write goes to both
 * (vendor writes are rare, so each asks), so a vendor written during a rebuild is kept: the
 * bulk's older versions lose to it.
 */
export class ElasticsearchVendorIndex implements VendorIndex {
  readonly #client: Client;
  readonly #alias: string;
  readonly #next: string;
  #ready: Promise<void> | null = null;

  constructor(client: Client, options: ElasticsearchVendorIndexOptions = {}) {
    const name = options.name ?? "vendors";
    if (!NAME.test(name)) throw new RangeError(`invalid vendor index name: ${name}`);
    this.#client = client;
    this.#alias = name;
    this.#next = `${name}_next`;
  }

  search(q: string, page: PageRequest): Promise<Page<VendorHit>> {
    return this.#run(async () => {
      const terms = queryTerms(q);
      const from = Math.min((page.page - 1) * page.size, MAX_RESULT_WINDOW);
      const size = Math.max(0, Math.min(page.size, MAX_RESULT_WINDOW - from));
      const response = await this.#client.search({
        index: this.#alias,
        from,
        size,
        track_total_hits: true,
        _source: ["id", "slug", "businessName", "city", "country"],
        query: {
          bool: {
            must: terms.map((term) => ({
              multi_match: {
                query: term,
                fields: FIELDS,
                type: "best_fields",
                tie_breaker: 0.3,
                fuzziness: "AUTO",
              },
            })),
            must_not: [{ term: { deleted: true } }],
          },
        },
        sort: [{ _score: { order: "desc" } }, { slug: { order: "asc" } }],
      } as never);
      const parsed = Response.parse(response);
      return {
        items: parsed.hits.hits.map((h) => h._source),
        page: page.page,
        size: page.size,
        total: parsed.hits.total.value,
      };
    });
  }

  put(doc: VendorSearchDocument): Promise<void> {
    return this.#write(doc.id, doc.version, { ...doc, deleted: false });
  }

  remove(id: string, version: number): Promise<void> {
    return this.#write(id, version, { id, deleted: true, version });
  }

  rebuild(docs: AsyncIterable<VendorSearchDocument>): Promise<{ indexed: number }> {
    return this.#run(async () => {
      const old = await this.#aliasIndices();
      // Leftovers of an interrupted rebuild (they may still carry the `_next` alias).
      const stale = (await this.#versionedIndices()).filter((i) => !old.includes(i));
      if (stale.length > 0) {
        await this.#client.indices.delete({ index: stale.join(","), ignore_unavailable: true });
      }
      const created = `${this.#alias}_v${await this.#nextVersion()}`;
      await this.#client.indices.create({
        index: created,
        aliases: { [this.#next]: {} },
        mappings: MAPPING,
      } as never);
      let indexed = 0;
      try {
        let batch: VendorSearchDocument[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const response = await this.#client.bulk({
            index: created,
            operations: batch.flatMap((d) => [
              { index: { _id: d.id, version: d.version, version_type: "external" as const } },
              { ...d, deleted: false },
            ]),
          });
          const failed = response.items.find((i) => i.index?.error && i.index.status !== 409);
          if (failed) throw new Error(`vendor bulk failed: ${failed.index?.error?.reason}`);
          indexed += batch.length;
          batch = [];
        };
        for await (const doc of docs) {
          batch.push(doc);
          if (batch.length >= 500) await flush();
        }
        await flush();
        await this.#client.indices.refresh({ index: created });
        await this.#client.indices.updateAliases({
          actions: [
            ...old.map((index) => ({ remove: { index, alias: this.#alias } })),
            { add: { index: created, alias: this.#alias, is_write_index: true } },
            { remove: { index: created, alias: this.#next } },
          ],
        });
      } catch (error) {
        await this.#client.indices.delete({ index: created, ignore_unavailable: true })
          .catch(() => {});
        throw error;
      }
      if (old.length > 0) {
        await this.#client.indices.delete({ index: old.join(","), ignore_unavailable: true });
      }
      this.#ready = null;
      return { indexed };
    });
  }

  async #write(id: string, version: number, document: Record<string, unknown>): Promise<void> {
    await this.#run(async () => {
      const targets = [this.#alias];
      if (await this.#client.indices.existsAlias({ name: this.#next })) targets.push(this.#next);
      await Promise.all(targets.map(async (index) => {
        try {
          await this.#client.index({
            index,
            id,
            version,
            version_type: "external",
            require_alias: true,
            refresh: "wait_for",
            document,
          });
        } catch (error) {
          if (isVersionConflict(error)) return;
          // The rebuild swapped meanwhile: the alias, written above, names the new index.
          if (index === this.#next && isIndexNotFound(error)) return;
          throw error;
        }
      }));
    });
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.#ensureReady();
      try {
        return await operation();
      } catch (error) {
        if (!isIndexNotFound(error)) throw error;
        this.#ready = null; // the alias vanished: recreate once
        await this.#ensureReady();
        return await operation();
      }
    } catch (error) {
      throw toDomainError(error);
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
    if (await this.#client.indices.existsAlias({ name: this.#alias })) return;
    const index = `${this.#alias}_v${await this.#nextVersion()}`;
    try {
      await this.#client.indices.create({
        index,
        aliases: { [this.#alias]: { is_write_index: true } },
        mappings: MAPPING,
      } as never);
    } catch (error) {
      if (isUnavailable(error)) throw error;
      if (await this.#client.indices.existsAlias({ name: this.#alias })) return;
      throw error;
    }
  }

  async #aliasIndices(): Promise<string[]> {
    if (!(await this.#client.indices.existsAlias({ name: this.#alias }))) return [];
    return Object.keys(await this.#client.indices.getAlias({ name: this.#alias }));
  }

  async #versionedIndices(): Promise<string[]> {
    const resolved = await this.#client.indices.resolveIndex({
      name: `${this.#alias}_v*`,
      expand_wildcards: "all",
    });
    const pattern = new RegExp(`^${this.#alias}_v\\d+$`);
    return resolved.indices.map((i) => i.name).filter((name) => pattern.test(name));
  }

  async #nextVersion(): Promise<number> {
    const versions = (await this.#versionedIndices())
      .map((name) => Number(name.slice(this.#alias.length + 2)));
    return Math.max(0, ...versions) + 1;
  }
}
