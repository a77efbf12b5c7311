/**
 * The in-memory search index's store: one generation of analyzed documents with versions,
 * tombstones and the per-field statistics BM25 scoring needs.
 */
import type { SearchDocument } from "../../domain/search/search.ts";
import { tokenize } from "./search_text.ts";

/**
 * Searched fields and their weights, as a `multi_match` over name^3, brand^2, category^1.5,
 * tags^1.5, description^1 would weigh them.
 */
export const FIELDS = { name: 3, brand: 2, category: 1.5, tags: 1.5, description: 1 } as const;
type Field = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as Field[];

export interface Indexed {
  readonly doc: SearchDocument;
  /** Term frequencies and lengths per field. */
  readonly terms: Readonly<Record<Field, ReadonlyMap<string, number>>>;
  readonly lengths: Readonly<Record<Field, number>>;
}

function analyze(doc: SearchDocument): Indexed {
  const texts: Record<Field, string> = {
    name: doc.name,
    brand: doc.brand,
    category: doc.category,
    tags: doc.tags.join(" "),
    description: doc.description,
  };
  const terms = {} as Record<Field, Map<string, number>>;
  const lengths = {} as Record<Field, number>;
  for (const field of FIELD_NAMES) {
    const tokens = tokenize(texts[field]);
    const tf = new Map<string, number>();
    for (const token of tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
    terms[field] = tf;
    lengths[field] = tokens.length;
  }
  return { doc: structuredClone(doc), terms, lengths };
}

export type Write =
  | { readonly kind: "put"; readonly doc: SearchDocument }
  | { readonly kind: "remove"; readonly sku: string; readonly version: number };

/**
 * One index generation: documents, the newest version seen per SKU (kept after a remove as
 * a tombstone), and the statistics scoring needs, maintained as documents come and go.
 */
export class Generation {
  readonly docs = new Map<string, Indexed>();
  readonly versions = new Map<string, number>();
  /** Per field: in how many documents each term occurs. */
  readonly fieldDf: Record<Field, Map<string, number>> = {
    name: new Map(),
    brand: new Map(),
    category: new Map(),
    tags: new Map(),
    description: new Map(),
  };
  readonly lengthSums: Record<Field, number> = {
    name: 0,
    brand: 0,
    category: 0,
    tags: 0,
    description: 0,
  };
  /** Every indexed word, with the number of documents holding it in any field. */
  readonly vocabulary = new Map<string, number>();

  apply(write: Write): void {
    if (write.kind === "put") this.put(write.doc);
    else this.remove(write.sku, write.version);
  }

  put(doc: SearchDocument): void {
    if (doc.version <= (this.versions.get(doc.sku) ?? -Infinity)) return;
    this.#drop(doc.sku);
    const indexed = analyze(doc);
    this.docs.set(doc.sku, indexed);
    this.versions.set(doc.sku, doc.version);
    this.#count(indexed, 1);
  }

  remove(sku: string, version: number): void {
    if (version <= (this.versions.get(sku) ?? -Infinity)) return;
    this.#drop(sku);
    this.versions.set(sku, version);
  }

  #drop(sku: string): void {
    const old = this.docs.get(sku);
    if (!old) return;
    this.docs.delete(sku);
    this.#count(old, -1);
  }

  #count(indexed: Indexed, sign: 1 | -1): void {
    const words = new Set<string>();
    for (const field of FIELD_NAMES) {
      this.lengthSums[field] += sign * indexed.lengths[field];
      for (const term of indexed.terms[field].keys()) {
        bump(this.fieldDf[field], term, sign);
        words.add(term);
      }
    }
    for (const word of words) bump(this.vocabulary, word, sign);
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
