/**
 * Matching and ranking for the in-memory search index: query terms expanded to indexed words
 * (typo tolerance as `fuzziness: AUTO`, `prefix_length: 1`), BM25 per field combined like
 * `best_fields`, the sort orders, and the "did you mean" suggestions.
 */
import type { SearchDocument, SearchSort } from "../../domain/search/search.ts";
import { FIELD_NAMES, FIELDS, type Generation, type Indexed } from "./search_generation.ts";
import { autoFuzziness, editDistance } from "./search_text.ts";

/** BM25 parameters (Lucene's defaults) and the best_fields tie breaker. */
const K1 = 1.2;
const B = 0.75;
const TIE_BREAKER = 0.3;
/** Like Elasticsearch's fuzzy `max_expansions`. */
const MAX_EXPANSIONS = 50;
export function bySku(a: { sku: string }, b: { sku: string }): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/** A query term and the indexed words it matches, each with a quality in (0, 1]. */
export interface Expansion {
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
export function expand(term: string, gen: Generation, fuzzy: boolean): Expansion {
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
export function termScore(indexed: Indexed, expansion: Expansion, gen: Generation): number {
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

export function compareFor(sort: SearchSort): (a: Scored, b: Scored) => number {
  const key: Record<SearchSort, (a: Scored, b: Scored) => number> = {
    relevance: (a, b) => b.score - a.score,
    price_asc: (a, b) => a.doc.priceCents - b.doc.priceCents,
    price_desc: (a, b) => b.doc.priceCents - a.doc.priceCents,
    rating: (a, b) => b.doc.rating - a.doc.rating || b.doc.ratingCount - a.doc.ratingCount,
    newest: (a, b) => (b.doc.publishedAt?.getTime() ?? 0) - (a.doc.publishedAt?.getTime() ?? 0),
  };
  return (a, b) => key[sort](a, b) || bySku(a.doc, b.doc);
}

export interface Scored {
  readonly doc: SearchDocument;
  readonly score: number;
}

export function suggest(terms: readonly string[], gen: Generation): string[] {
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
