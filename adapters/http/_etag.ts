/**
 * Entity tags for versioned resources (the cart): the HTTP form of a port's version number.
 * Strong tags, because `If-Match` compares strongly (RFC 9110 13.1.1): a weak tag never
 * matches there.
 */
import { type FieldError, ValidationFailed } from "./problem_failures.ts";

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** A version no resource ever has: a well-formed tag that names no version never matches. */
const NO_VERSION = -1;

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7E]*)"$/;

/**
 * The write condition an `If-Match` header asks for: none without the header or for `*`, else
 * the version its one entity tag names (a weak tag, or one that is not ours, names none, so
 * the write is refused with 412). A list or a malformed value is 400.
 */
export function ifMatchOf(header: string | undefined): { ifVersion?: number } {
  if (header === undefined) return {};
  const value = header.trim();
  if (value === "*") return {};
  const tag = ENTITY_TAG.exec(value);
  if (!tag) throw new ValidationFailed([IF_MATCH_ERROR]);
  if (tag[1] || !/^(0|[1-9][0-9]{0,14})$/.test(tag[2])) return { ifVersion: NO_VERSION };
  return { ifVersion: Number(tag[2]) };
}

const IF_MATCH_ERROR: FieldError = {
  path: "If-Match",
  message: 'send one entity tag as the cart\'s ETag gave it (e.g. "3"), or *',
};
