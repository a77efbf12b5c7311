/**
 * The words of a query and typo tolerance: the searched fields, query terms, and the
 * corrections a misspelt term gets (from the `missing`-mode term suggester's options).
 */

/** Searched fields and weights: the name weighs most. */
export const SEARCH_FIELDS = [
  "name^3",
  "brand.text^2",
  "category.text^1.5",
  "tags.text^1.5",
  "description",
] as const;

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits, each once, in order. */
export function queryTerms(q: string): string[] {
  return [...new Set(q.toLowerCase().match(WORD) ?? [])];
}

/**
 * Indexed words standing in for a misspelt query term, each with its weight (1 - edits /
 * length of the shorter word, as Lucene weighs a fuzzy expansion).
 */
export type Corrections = ReadonlyMap<string, readonly { word: string; boost: number }[]>;

/** Leading characters a correction shares with the term (Lucene's fuzzy `prefix_length`). */
export const FUZZY_PREFIX_LENGTH = 1;
/** Most corrections per term, like a fuzzy query's `max_expansions`. */
export const MAX_CORRECTIONS = 50;

/** `fuzziness: AUTO`: no edit up to 2 characters, one up to 5, then two. */
export function autoFuzziness(term: string): number {
  const length = [...term].length;
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/** Optimal-string-alignment distance (adjacent transpositions cost 1, as Lucene counts). */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, prevPrev[j - 2] + 1);
      }
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length];
}

/**
 * The whole query with each unknown term (the suggester only reports those, `missing` mode)
 * replaced by the nearest indexed word within the term's AUTO fuzziness: fewest edits, then
 * most frequent, then alphabetical. Nothing when no term changes.
 */
export function didYouMean(
  entries: readonly { text: string; options: readonly { text: string; freq: number }[] }[],
): string[] {
  let changed = false;
  const words = entries.map(({ text, options }) => {
    const term = text.toLowerCase();
    const max = autoFuzziness(term);
    const best = options
      .map((o) => ({
        word: o.text.toLowerCase(),
        freq: o.freq,
        distance: editDistance(term, o.text.toLowerCase()),
      }))
      .filter((o) => o.distance > 0 && o.distance <= max)
      .sort((a, b) =>
        a.distance - b.distance || b.freq - a.freq ||
        (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)
      )[0];
    if (!best) return term;
    changed = true;
    return best.word;
  });
  return changed ? [words.join(" ")] : [];
}

/**
 * The corrections of each unknown term (the suggester reports only those, `missing` mode)
 * within its AUTO fuzziness, nearest and most frequent first; null when no term has any
 * (a second query could find nothing).
 */
export function correctionsOf(
  entries: readonly { text: string; options: readonly { text: string; freq: number }[] }[],
): Corrections | null {
  const corrections = new Map<string, { word: string; boost: number }[]>();
  for (const { text, options } of entries) {
    const term = text.toLowerCase();
    const max = autoFuzziness(term);
    const words = options
      .map((o) => ({ word: o.text.toLowerCase(), freq: o.freq }))
      .map((o) => ({ ...o, distance: editDistance(term, o.word) }))
      .filter((o) => o.distance > 0 && o.distance <= max)
      .sort((a, b) => a.distance - b.distance || b.freq - a.freq)
      .slice(0, MAX_CORRECTIONS)
      .map(({ word, distance }) => ({
        word,
        boost: Math.max(0.1, 1 - distance / Math.min([...term].length, [...word].length)),
      }));
    if (words.length > 0) corrections.set(term, words);
  }
  return corrections.size > 0 ? corrections : null;
}
