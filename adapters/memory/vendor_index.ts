import type { VendorHit, VendorSearchDocument } from "../../domain/vendors/vendor.ts";
import { type Page, pageOf, type PageRequest } from "../../domain/pagination.ts";
import type { VendorIndex } from "../../ports/vendors/vendor_index.ts";
import type { Outage } from "./outage.ts";
import { autoFuzziness, editDistance, tokenize } from "./search_index.ts";

export interface MemoryVendorIndexOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("elasticsearch")`. */
  readonly outage?: Outage;
}

/** Field weights, as the Elasticsearch adapter's `multi_match` weighs them. */
const FIELDS = {
  businessName: 3,
  slug: 2,
  certifications: 1.5,
  city: 1.5,
  country: 1,
  description: 1,
} as const;
type Field = keyof typeof FIELDS;

function fieldText(doc: VendorSearchDocument, field: Field): string {
  return field === "certifications" ? doc.certifications.join(" ") : doc[field];
}

const bySlug = (a: VendorSearchDocument, b: VendorSearchDocument) =>
  a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;

/**
 * The vendor index in memory: every query word must match a word of some field exactly or
 * within AUTO fuzziness (an exact match scores twice a fuzzy one), best field per word,
 * summed over words; ties by slug. Versioned writes; removes leave a tombstone version.
 */
export class MemoryVendorIndex implements VendorIndex {
  #docs = new Map<string, VendorSearchDocument>();
  #versions = new Map<string, number>();
  /** While a rebuild runs: the index it fills, which every write also reaches. */
  #next: { docs: Map<string, VendorSearchDocument>; versions: Map<string, number> } | null = null;
  readonly #outage?: Outage;

  constructor(options: MemoryVendorIndexOptions = {}) {
    this.#outage = options.outage;
  }

  search(q: string, page: PageRequest): Promise<Page<VendorHit>> {
    return this.#guard(() => {
      const terms = [...new Set(tokenize(q))];
      const scored: { doc: VendorSearchDocument; score: number }[] = [];
      for (const doc of this.#docs.values()) {
        let score = 0;
        for (const term of terms) {
          const best = Math.max(
            ...(Object.keys(FIELDS) as Field[]).map((f) =>
              FIELDS[f] * wordScore(term, tokenize(fieldText(doc, f)))
            ),
          );
          if (best === 0) {
            score = -1;
            break;
          }
          score += best;
        }
        if (score >= 0) scored.push({ doc, score });
      }
      scored.sort((a, b) => b.score - a.score || bySlug(a.doc, b.doc));
      const found = pageOf(scored, page);
      return { ...found, items: found.items.map(({ doc }) => hitOf(doc)) };
    });
  }

  put(doc: VendorSearchDocument): Promise<void> {
    return this.#guard(() => {
      for (const target of this.#targets()) write(target, doc.id, doc.version, doc);
    });
  }

  remove(id: string, version: number): Promise<void> {
    return this.#guard(() => {
      for (const target of this.#targets()) write(target, id, version, null);
    });
  }

  /** Fills a fresh index (writes meanwhile reach it too, newer versions winning), then swaps. */
  async rebuild(docs: AsyncIterable<VendorSearchDocument>): Promise<{ indexed: number }> {
    this.#outage?.check("elasticsearch");
    const next = { docs: new Map<string, VendorSearchDocument>(), versions: new Map() };
    this.#next = next;
    let indexed = 0;
    try {
      for await (const doc of docs) {
        write(next, doc.id, doc.version, doc);
        indexed++;
      }
    } finally {
      this.#next = null;
    }
    this.#docs = next.docs;
    this.#versions = next.versions;
    return { indexed };
  }

  #targets() {
    const live = { docs: this.#docs, versions: this.#versions };
    return this.#next ? [live, this.#next] : [live];
  }

  #guard<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("elasticsearch");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** A versioned write: ignored unless newer than what `target` holds for `id`; null removes. */
function write(
  target: { docs: Map<string, VendorSearchDocument>; versions: Map<string, number> },
  id: string,
  version: number,
  doc: VendorSearchDocument | null,
): void {
  if (version <= (target.versions.get(id) ?? -Infinity)) return;
  target.versions.set(id, version);
  if (doc) target.docs.set(id, structuredClone(doc));
  else target.docs.delete(id);
}

/** 1 for an exact word, 0.5 for one within AUTO fuzziness, else 0. */
function wordScore(term: string, words: readonly string[]): number {
  if (words.includes(term)) return 1;
  const max = autoFuzziness(term);
  return words.some((w) => editDistance(term, w, max) <= max) ? 0.5 : 0;
}

function hitOf(doc: VendorSearchDocument): VendorHit {
  return {
    id: doc.id,
    slug: doc.slug,
    businessName: doc.businessName,
    city: doc.city,
    country: doc.country,
  };
}
