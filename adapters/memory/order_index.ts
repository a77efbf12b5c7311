import {
  MATCH_WEIGHTS,
  type OrderDocument,
  type OrderSearchQuery,
  type OrderSearchResult,
} from "../../domain/support/order_document.ts";
import type { OrderIndex } from "../../ports/support/order_index.ts";
import type { Outage } from "./outage.ts";
import { autoFuzziness, editDistance, tokenize } from "./search_index.ts";

export interface MemoryOrderIndexOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("elasticsearch")`. */
  readonly outage?: Outage;
}

/**
 * The support order index in memory, matching as the Elasticsearch adapter's query does: each
 * way `q` matches adds its constant weight (`MATCH_WEIGHTS`), words match within AUTO
 * fuzziness (optimal string alignment, as Lucene counts edits), and every query word must
 * match (`operator: and`). Writes keep the newest version (an equal one replaces).
 */
export class MemoryOrderIndex implements OrderIndex {
  #docs = new Map<string, OrderDocument>();
  /** One buffer per rebuild in progress: writes to replay onto the new index. */
  readonly #rebuilds = new Set<OrderDocument[]>();
  readonly #outage?: Outage;

  constructor(options: MemoryOrderIndexOptions = {}) {
    this.#outage = options.outage;
  }

  search(query: OrderSearchQuery): Promise<OrderSearchResult> {
    return this.#run(() => {
      const q = query.q.trim();
      const hits = [...this.#docs.values()]
        .filter((d) => query.status === undefined || d.status === query.status)
        .filter((d) => !query.from || d.createdAt.getTime() >= query.from.getTime())
        .filter((d) => !query.to || d.createdAt.getTime() < query.to.getTime())
        .map((doc) => ({ doc, score: q === "" ? 1 : scoreOf(doc, q) }))
        .filter((h) => h.score > 0)
        .sort((a, b) =>
          b.score - a.score || b.doc.createdAt.getTime() - a.doc.createdAt.getTime() ||
          (a.doc.id < b.doc.id ? 1 : a.doc.id > b.doc.id ? -1 : 0)
        );
      const from = (query.page - 1) * query.size;
      return {
        items: hits.slice(from, from + query.size).map((h) => copy(h.doc)),
        page: query.page,
        size: query.size,
        total: hits.length,
      };
    });
  }

  put(doc: OrderDocument): Promise<void> {
    return this.#run(() => {
      write(this.#docs, doc);
      for (const buffer of this.#rebuilds) buffer.push(doc);
    });
  }

  async rebuild(
    docs: AsyncIterable<OrderDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    this.#outage?.check("elasticsearch");
    const next = new Map<string, OrderDocument>();
    const arrived: OrderDocument[] = [];
    this.#rebuilds.add(arrived);
    try {
      let indexed = 0;
      for await (const doc of docs) {
        write(next, doc);
        indexed++;
        if (indexed % 500 === 0) onProgress?.(indexed);
      }
      onProgress?.(indexed);
      this.#outage?.check("elasticsearch");
      for (const doc of arrived) write(next, doc);
      this.#docs = next;
      return { indexed };
    } finally {
      this.#rebuilds.delete(arrived);
    }
  }

  /** How many documents it holds (tests). */
  get size(): number {
    return this.#docs.size;
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("elasticsearch");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function write(docs: Map<string, OrderDocument>, doc: OrderDocument): void {
  const held = docs.get(doc.id);
  if (held && held.version > doc.version) return;
  docs.set(doc.id, copy(doc));
}

/** The sum of the weights of every way `q` matches `doc`; 0 when none does. */
function scoreOf(doc: OrderDocument, q: string): number {
  const lower = q.toLowerCase();
  let score = 0;
  if (doc.id.toLowerCase().startsWith(lower)) score += MATCH_WEIGHTS.id;
  if (doc.customer.email !== "" && doc.customer.email.toLowerCase().startsWith(lower)) {
    score += MATCH_WEIGHTS.email;
  }
  if (doc.skus.some((s) => s.toLowerCase() === lower)) score += MATCH_WEIGHTS.sku;
  if (doc.payments.some((p) => p.providerRef.toLowerCase() === lower)) {
    score += MATCH_WEIGHTS.paymentRef;
  }
  const words = tokenize(q);
  if (fuzzyAll(words, tokenize(doc.customer.displayName ?? ""))) {
    score += MATCH_WEIGHTS.customerName;
  }
  if (fuzzyAll(words, doc.productNames.flatMap(tokenize))) score += MATCH_WEIGHTS.productName;
  return score;
}

/** Every query word within its AUTO fuzziness of some field word (none: no match). */
function fuzzyAll(words: readonly string[], field: readonly string[]): boolean {
  if (words.length === 0 || field.length === 0) return false;
  return words.every((w) => {
    const max = autoFuzziness(w);
    return field.some((f) => editDistance(w, f, max) <= max);
  });
}

function copy(doc: OrderDocument): OrderDocument {
  return {
    ...doc,
    customer: { ...doc.customer },
    skus: [...doc.skus],
    productNames: [...doc.productNames],
    totals: { ...doc.totals },
    payments: doc.payments.map((p) => ({ ...p, processedAt: new Date(p.processedAt) })),
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
    paidAt: doc.paidAt ? new Date(doc.paidAt) : null,
  };
}
