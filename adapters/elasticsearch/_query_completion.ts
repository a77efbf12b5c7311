/** Autocomplete: the completion suggester's body and reading its options. */
import { z } from "zod";
import type { AutocompleteSuggestion } from "../../domain/search/search.ts";
import { isPublished } from "../../domain/catalog/publication.ts";

const CompletionResponse = z.object({
  suggest: z.object({
    autocomplete: z.array(z.object({
      options: z.array(z.object({
        _score: z.number(),
        _source: z.object({
          sku: z.string(),
          name: z.string(),
          slug: z.string(),
          publishedAt: z.string().nullable().optional(),
        }),
      })),
    })),
  }),
});

/** Lower case, single spaces, trimmed: what the completion field is asked for. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Completion options asked for first: ties in weight come back in no useful order. */
export function completionSize(limit: number): number {
  return Math.min(limit * 2 + 10, 200);
}

/**
 * The completion suggester cannot filter by a range (only by category or geo contexts), so
 * it is asked for `size` options with `publishedAt` in their `_source`, and the caller
 * leaves out what is not yet published (see `toSuggestions`), asking for more while too few
 * remain.
 */
export function completionBody(prefix: string, size: number) {
  return {
    size: 0,
    _source: ["sku", "name", "slug", "publishedAt"],
    suggest: {
      autocomplete: { prefix, completion: { field: "suggest", size } },
    },
  };
}

export interface Suggestions {
  readonly suggestions: AutocompleteSuggestion[];
  /** Options the suggester returned, before any was left out: fewer than asked = all. */
  readonly options: number;
}

/**
 * Best weight first (leading word, then rating), ties by SKU; each product once. With
 * `publishedBy`, options whose `publishedAt` is missing, null or later are left out.
 */
export function toSuggestions(raw: unknown, limit: number, publishedBy?: Date): Suggestions {
  const response = CompletionResponse.parse(raw);
  const best = new Map<string, { score: number; s: AutocompleteSuggestion }>();
  let options = 0;
  for (const entry of response.suggest.autocomplete) {
    for (const { _score, _source } of entry.options) {
      options += 1;
      if (publishedBy !== undefined) {
        const at = _source.publishedAt ? new Date(_source.publishedAt) : null;
        if (!isPublished(at, publishedBy)) continue;
      }
      const seen = best.get(_source.sku);
      if (!seen || seen.score < _score) {
        best.set(_source.sku, {
          score: _score,
          s: { sku: _source.sku, name: _source.name, slug: _source.slug },
        });
      }
    }
  }
  const suggestions = [...best.values()]
    .sort((a, b) => b.score - a.score || (a.s.sku < b.s.sku ? -1 : a.s.sku > b.s.sku ? 1 : 0))
    .slice(0, limit)
    .map(({ s }) => s);
  return { suggestions, options };
}
