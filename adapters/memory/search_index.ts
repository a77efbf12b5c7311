import { attrFacetCounts, matchesAttrEquals } from "../../domain/search/variant_search.ts";
import type {
  AutocompleteSuggestion,
  FacetCount,
  PriceBucketCount,
  SearchDocument,
  SearchHit,
  SearchQuery,
  SearchResult,
  SearchSort,
} from "../../domain/search/search.ts";
import {
  categoryKeysOf,
  facetCategoryOf,
  PRICE_BUCKETS,
  priceBucketOf,
} from "../../domain/search/search.ts";
import { isPublished } from "../../domain/catalog/publication.ts";
import type { SearchIndex } from "../../ports/search/search_index.ts";
import type { Outage } from "./outage.ts";

export interface MemorySearchIndexOptions {
  /** While `outage.down`, every call throws `DependencyUnavailable("elasticsearch")`. */
  readonly outage?: Outage;
}

/**
 * Searched fields and their weights, as a `multi_match` over name^3, brand^2, category^1.5,
 * tags^1.5, description^1 would weigh them.
 */
const FIELDS = { name: 3, brand: 2, category: 1.5, tags: 1.5, description: 1 } as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];
/** Fields that get highlight fragments. */
const HIGHLIGHTED = ["name", "description"] as const;

/** BM25 parameters (Lucene's defaults) and the best_fields tie breaker. */
const K1 = 1.2;
const B = 0.75;
const TIE_BREAKER = 0.3;
/** Like Elasticsearch's fuzzy `max_expansions`. */
const MAX_EXPANSIONS = 50;
/** Like the default highlighter: up to 5 fragments of about 100 characters. */
const FRAGMENT_SIZE = 100;
const MAX_FRAGMENTS = 5;
/** `onProgress` is called every this many documents, and once at the end. */
const PROGRESS_EVERY = 500;

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits; everything else separates words. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Elasticsearch's `fuzziness: AUTO`: 0 edits up to 2 characters, 1 up to 5, then 2. */
export function autoFuzziness(term: string): number {
  const length = [...term].length;
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and adjacent
 * transpositions each cost 1, as Lucene's fuzzy query counts them). Returns `max + 1` as
 * soon as the distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, prevPrev[j - 2] + 1);
      }
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return Math.min(prev[t.length], max + 1);
}

function bySku(a: { sku: string }, b: { sku: string }): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

interface Indexed {
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

type Write =
  | { readonly kind: "put"; readonly doc: SearchDocument }
  | { readonly kind: "remove"; readonly sku: string; readonly version: number };

/**
 * One index generation: documents, the newest version seen per SKU (kept after a remove as
 * a tombstone), and the statistics scoring needs, maintained as documents come and go.
 */
class Generation {
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

/** A query term and the indexed words it matches, each with a quality in (0, 1]. */
interface Expansion {
  readonly term: string;
  readonly words: ReadonlyMap<string, number>;
}

/** Leading characters a fuzzy match keeps, as the Elasticsearch adapter's `prefix_length`. */
const FUZZY_PREFIX_LENGTH = 1;

/** Whether `word` starts with the first FUZZY_PREFIX_LENGTH characters of `term`. */
function samePrefix(term: string, word: string): boolean {
  const prefix = [...term].slice(0, FUZZY_PREFIX_LENGTH).join("");
  return word.startsWith(prefix);
}

/** `exact`: the term itself; `fuzzy`: words within AUTO fuzziness sharing its first letter. */
function expand(term: string, gen: Generation, fuzzy: boolean): Expansion {
  const max = fuzzy ? autoFuzziness(term) : 0;
  const found: { word: string; distance: number; df: number }[] = [];
  if (max === 0) {
    const df = gen.vocabulary.get(term);
    if (df) found.push({ word: term, distance: 0, df });
  } else {
    for (const [word, df] of gen.vocabulary) {
      if (!samePrefix(term, word)) continue;
      const distance = editDistance(term, word, max);
      if (distance <= max) found.push({ word, distance, df });
    }
  }
  found.sort((a, b) =>
    a.distance - b.distance || b.df - a.df || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)
  );
  const words = new Map<string, number>();
  for (const { word, distance } of found.slice(0, MAX_EXPANSIONS)) {
    // Lucene's fuzzy boost: 1 - edits / length of the shorter of the two.
    const shorter = Math.min([...term].length, [...word].length);
    words.set(word, distance === 0 ? 1 : Math.max(0.1, 1 - distance / shorter));
  }
  return { term, words };
}

function idf(df: number, docCount: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** The document's score for one term, or 0 when no field matches it. */
function termScore(indexed: Indexed, expansion: Expansion, gen: Generation): number {
  const docCount = gen.docs.size;
  const fieldScores: number[] = [];
  for (const field of FIELD_NAMES) {
    const avgLength = gen.lengthSums[field] / docCount || 1;
    const norm = K1 * (1 - B + B * indexed.lengths[field] / avgLength);
    let best = 0;
    for (const [word, quality] of expansion.words) {
      const tf = indexed.terms[field].get(word);
      if (!tf) continue;
      const score = quality * idf(gen.fieldDf[field].get(word) ?? 0, docCount) *
        (tf * (K1 + 1)) / (tf + norm);
      best = Math.max(best, score);
    }
    if (best > 0) fieldScores.push(best * FIELDS[field]);
  }
  if (fieldScores.length === 0) return 0;
  const top = Math.max(...fieldScores);
  const rest = fieldScores.reduce((sum, s) => sum + s, 0) - top;
  return top + TIE_BREAKER * rest;
}

/** Wraps every word of `text` that is in `matched` in `<em></em>`. */
function emphasize(text: string, matched: ReadonlySet<string>): string {
  return text.replace(WORD, (word) => matched.has(word.toLowerCase()) ? `<em>${word}</em>` : word);
}

/** Fragments of about FRAGMENT_SIZE characters around the matches, in text order. */
function fragments(text: string, matched: ReadonlySet<string>): string[] {
  const hits = [...text.matchAll(WORD)].filter((m) => matched.has(m[0].toLowerCase()));
  if (hits.length === 0) return [];
  if (text.length <= FRAGMENT_SIZE) return [emphasize(text, matched)];
  const out: string[] = [];
  let coveredTo = 0;
  for (const hit of hits) {
    if (out.length === MAX_FRAGMENTS) break;
    const at = hit.index ?? 0;
    if (at < coveredTo) continue;
    let start = Math.max(coveredTo, at - Math.floor(FRAGMENT_SIZE / 4));
    while (start > coveredTo && /[\p{L}\p{N}]/u.test(text[start - 1])) start -= 1;
    let end = Math.min(text.length, start + FRAGMENT_SIZE);
    end = Math.max(end, at + hit[0].length);
    while (end < text.length && /[\p{L}\p{N}]/u.test(text[end])) end += 1;
    out.push(emphasize(text.slice(start, end).trim(), matched));
    coveredTo = end;
  }
  return out;
}

function compareFor(sort: SearchSort): (a: Scored, b: Scored) => number {
  const key: Record<SearchSort, (a: Scored, b: Scored) => number> = {
    relevance: (a, b) => b.score - a.score,
    price_asc: (a, b) => a.doc.priceCents - b.doc.priceCents,
    price_desc: (a, b) => b.doc.priceCents - a.doc.priceCents,
    rating: (a, b) => b.doc.rating - a.doc.rating || b.doc.ratingCount - a.doc.ratingCount,
    newest: (a, b) => (b.doc.publishedAt?.getTime() ?? 0) - (a.doc.publishedAt?.getTime() ?? 0),
  };
  return (a, b) => key[sort](a, b) || bySku(a.doc, b.doc);
}

interface Scored {
  readonly doc: SearchDocument;
  readonly score: number;
}

function facetCounts(values: readonly string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/**
 * Search in memory, behaving like the Elasticsearch adapter rather than a substring filter:
 * - text: lower-cased words; every query term must match some field (operator AND), with
 *   typo tolerance like `fuzziness: AUTO` with `prefix_length: 1` for the words the index does
 *   not know, used only when the words as typed find nothing (as the Elasticsearch adapter
 *   does); scores are BM25 per field, weighted name 3,
 *   brand 2, category and tags 1.5, description 1, combined like `best_fields`;
 * - filters: the category's subtree, exact brand, inclusive price bounds, exact `inStock`;
 * - facets: children of the selected category (roots when none), brand and the four price
 *   buckets, over every hit of query + filters;
 * - suggestions: the query with each unknown term replaced by the nearest indexed word
 *   (within the same fuzziness), or nothing when every term is known or none can be fixed;
 * - writes are versioned (tombstones kept), and `rebuild` swaps in a new generation,
 *   replaying onto it the writes that arrived while it was being built.
 */
export class MemorySearchIndex implements SearchIndex {
  #live = new Generation();
  /** One buffer per rebuild in progress: writes to replay onto the new generation. */
  readonly #rebuilds = new Set<Write[]>();
  readonly #outage?: Outage;

  constructor(options: MemorySearchIndexOptions = {}) {
    this.#outage = options.outage;
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.#run(() => this.#search(query));
  }

  autocomplete(
    prefix: string,
    limit: number,
    publishedBy?: Date,
  ): Promise<AutocompleteSuggestion[]> {
    return this.#run(() => {
      const wanted = prefix.trim().toLowerCase().replace(/\s+/g, " ");
      if (wanted === "" || limit <= 0) return [];
      const found: { doc: SearchDocument; leading: boolean }[] = [];
      for (const { doc } of this.#live.docs.values()) {
        if (publishedBy !== undefined && !isPublished(doc.publishedAt, publishedBy)) continue;
        const name = doc.name.toLowerCase().replace(/\s+/g, " ");
        let at = name.indexOf(wanted);
        while (at > 0 && /[\p{L}\p{N}]/u.test(name[at - 1])) at = name.indexOf(wanted, at + 1);
        if (at >= 0) found.push({ doc, leading: at === 0 });
      }
      return found.sort((a, b) =>
        Number(b.leading) - Number(a.leading) || b.doc.rating - a.doc.rating ||
        bySku(a.doc, b.doc)
      ).slice(0, limit).map(({ doc }) => ({ sku: doc.sku, name: doc.name, slug: doc.slug }));
    });
  }

  put(doc: SearchDocument): Promise<void> {
    return this.#run(() => this.#write({ kind: "put", doc: structuredClone(doc) }));
  }

  remove(sku: string, version: number): Promise<void> {
    return this.#run(() => this.#write({ kind: "remove", sku, version }));
  }

  async rebuild(
    docs: AsyncIterable<SearchDocument>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }> {
    this.#outage?.check("elasticsearch");
    const next = new Generation();
    const arrived: Write[] = [];
    this.#rebuilds.add(arrived);
    try {
      let indexed = 0;
      let reported = -1;
      for await (const doc of docs) {
        next.put(doc);
        indexed += 1;
        if (indexed % PROGRESS_EVERY === 0) {
          onProgress?.(indexed);
          reported = indexed;
        }
      }
      this.#outage?.check("elasticsearch");
      // No await from here to the swap: nothing can slip in between.
      for (const write of arrived) next.apply(write);
      this.#live = next;
      if (reported !== indexed) onProgress?.(indexed);
      return { indexed };
    } finally {
      this.#rebuilds.delete(arrived);
    }
  }

  #write(write: Write): void {
    this.#live.apply(write);
    for (const arrived of this.#rebuilds) arrived.push(write);
  }

  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#outage?.check("elasticsearch");
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #search(query: SearchQuery): SearchResult {
    const gen = this.#live;
    const terms = [...new Set(tokenize(query.q))];
    // As the Elasticsearch adapter: the words as typed first, corrected only when they find
    // nothing.
    let expansions = terms.map((term) => expand(term, gen, false));
    let scored = this.#scored(query, gen, expansions);
    // Only the words the index does not know are corrected (as the suggester's `missing` mode).
    if (scored.length === 0 && terms.some((term) => !gen.vocabulary.has(term))) {
      expansions = terms.map((term) => expand(term, gen, !gen.vocabulary.has(term)));
      scored = this.#scored(query, gen, expansions);
    }
    return this.#result(query, gen, expansions, scored);
  }

  #scored(query: SearchQuery, gen: Generation, expansions: readonly Expansion[]): Scored[] {
    const scored: Scored[] = [];
    for (const indexed of gen.docs.values()) {
      const { doc } = indexed;
      if (
        query.category !== undefined && !categoryKeysOf(doc).categories.includes(query.category)
      ) continue;
      if (query.brand !== undefined && doc.brand !== query.brand) continue;
      if (query.vendor !== undefined && doc.vendor !== query.vendor) continue;
      if (query.minPriceCents !== undefined && doc.priceCents < query.minPriceCents) continue;
      if (query.maxPriceCents !== undefined && doc.priceCents > query.maxPriceCents) continue;
      if (query.minRating !== undefined && doc.rating < query.minRating) continue;
      if (query.inStock !== undefined && doc.inStock !== query.inStock) continue;
      if (query.attrs !== undefined && !matchesAttrEquals(doc.facetAttrs, query.attrs)) continue;
      if (query.publishedBy !== undefined && !isPublished(doc.publishedAt, query.publishedBy)) {
        continue;
      }
      let score = 0;
      let matchesAll = true;
      for (const expansion of expansions) {
        const s = termScore(indexed, expansion, gen);
        if (s === 0) {
          matchesAll = false;
          break;
        }
        score += s;
      }
      if (matchesAll) scored.push({ doc, score });
    }
    return scored.sort(compareFor(query.sort));
  }

  #result(
    query: SearchQuery,
    gen: Generation,
    expansions: readonly Expansion[],
    scored: readonly Scored[],
  ): SearchResult {
    const matched = new Set(expansions.flatMap((e) => [...e.words.keys()]));
    const start = (query.page - 1) * query.size;
    const items = scored.slice(start, start + query.size).map(({ doc }): SearchHit => {
      const highlight: Record<string, string[]> = {};
      for (const field of HIGHLIGHTED) {
        const found = field === "name"
          ? (tokenize(doc.name).some((w) => matched.has(w)) ? [emphasize(doc.name, matched)] : [])
          : fragments(doc.description, matched);
        if (found.length > 0) highlight[field] = found;
      }
      return {
        sku: doc.sku,
        name: doc.name,
        slug: doc.slug,
        category: doc.category,
        brand: doc.brand,
        priceCents: doc.priceCents,
        rating: doc.rating,
        inStock: doc.inStock,
        vendor: doc.vendor === undefined
          ? null
          : { slug: doc.vendor, name: doc.vendorName ?? doc.vendor },
        highlight,
      };
    });

    const price: PriceBucketCount[] = PRICE_BUCKETS.map((bucket) => ({
      key: bucket.key,
      fromCents: bucket.fromCents,
      toCents: bucket.toCents,
      count: scored.filter(({ doc }) => priceBucketOf(doc.priceCents) === bucket.key).length,
    }));

    return {
      items,
      page: query.page,
      size: query.size,
      total: scored.length,
      facets: {
        category: facetCounts(
          scored.flatMap(({ doc }) => {
            const child = facetCategoryOf(categoryKeysOf(doc).categoryPaths, query.category);
            return child === null ? [] : [child];
          }),
        ),
        brand: facetCounts(scored.map(({ doc }) => doc.brand)),
        vendor: facetCounts(
          scored.flatMap(({ doc }) => doc.vendor === undefined ? [] : [doc.vendor]),
        ),
        price,
        attrs: attrFacetCounts(scored.map(({ doc }) => doc), query.facetAttrs),
      },
      suggestions: this.#suggest(tokenize(query.q), gen),
    };
  }

  #suggest(terms: readonly string[], gen: Generation): string[] {
    let changed = false;
    const rewritten = terms.map((term) => {
      if (gen.vocabulary.has(term)) return term;
      const [best] = expand(term, gen, true).words.keys();
      if (best === undefined) return term;
      changed = true;
      return best;
    });
    return changed ? [rewritten.join(" ")] : [];
  }
}
