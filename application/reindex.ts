import type { Product } from "../domain/catalog/product.ts";
import type { SearchDocument } from "../domain/search/search.ts";
import { toSearchDocument } from "../domain/search/search.ts";
import type { Catalog } from "../ports/catalog.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/ids.ts";
import type { InventoryStore } from "../ports/inventory.ts";
import type { Logger } from "../ports/logger.ts";
import type { SearchIndex } from "../ports/search_index.ts";

export interface ReindexDeps {
  readonly catalog: Catalog;
  readonly inventory: InventoryStore;
  readonly index: SearchIndex;
}

const CHUNK = 500;

/** Catalog documents joined with inventory, read in chunks so memory stays flat. */
export async function* searchDocuments(deps: ReindexDeps): AsyncIterable<SearchDocument> {
  let chunk: Product[] = [];
  const flush = async function* () {
    const items = new Map(
      (await deps.inventory.getMany(chunk.map((p) => p.sku))).map((i) => [i.sku, i]),
    );
    for (const product of chunk) yield toSearchDocument(product, items.get(product.sku) ?? null);
    chunk = [];
  };
  for await (const product of deps.catalog.all()) {
    chunk.push(product);
    if (chunk.length >= CHUNK) yield* flush();
  }
  yield* flush();
}

/** Rebuilds the whole index from the sources of truth and swaps it in atomically. */
export function reindexAll(
  deps: ReindexDeps,
  onProgress?: (indexed: number) => void,
): Promise<{ indexed: number }> {
  return deps.index.rebuild(searchDocuments(deps), onProgress);
}

export interface ReindexJob {
  readonly id: string;
  readonly status: "running" | "succeeded" | "failed";
  readonly indexed: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

/** Runs one reindex at a time in the background; asking again while one runs returns it. */
export class ReindexJobs {
  #current: ReindexJob | null = null;

  constructor(
    private readonly deps: ReindexDeps & { clock: Clock; ids: IdGenerator; logger: Logger },
  ) {}

  start(): ReindexJob {
    if (this.#current?.status === "running") return this.#current;
    const job: ReindexJob = {
      id: this.deps.ids.id(),
      status: "running",
      indexed: 0,
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
      error: null,
    };
    this.#current = job;
    const update = (patch: Partial<ReindexJob>) => {
      if (this.#current?.id === job.id) this.#current = { ...this.#current, ...patch };
    };
    reindexAll(this.deps, (indexed) => update({ indexed }))
      .then(({ indexed }) => {
        update({ status: "succeeded", indexed, finishedAt: this.deps.clock.now().toISOString() });
        this.deps.logger.info("reindex finished", { indexed });
      })
      .catch((error) => {
        update({
          status: "failed",
          error: String(error),
          finishedAt: this.deps.clock.now().toISOString(),
        });
        this.deps.logger.error("reindex failed", { error: String(error) });
      });
    return job;
  }

  current(): ReindexJob | null {
    return this.#current;
  }

  /** Resolves when no job is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#current?.status === "running") await new Promise((r) => setTimeout(r, 10));
  }
}
