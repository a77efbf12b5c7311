/**
 * Writes guarded by a document's `version` (the stand-in has no transactions): the shared
 * steps of the category and vendor stores.
 */
import type { Collection, Filter } from "mongodb";
import { NotFound, VersionConflict } from "../../domain/errors.ts";

interface Versioned {
  _id: string;
  version: number;
}

/** A guarded replace matched nothing: the document is gone (404) or was changed (409). */
export async function throwMissOrConflict<T extends Versioned>(
  collection: Collection<T>,
  kind: string,
  id: string,
  version: number,
): Promise<never> {
  const exists = await collection.countDocuments({ _id: { $eq: id } } as Filter<T>, { limit: 1 });
  if (exists === 0) throw new NotFound(kind, id);
  throw new VersionConflict(kind, id, version);
}

/**
 * Deletes the document at `version` (any version when null) and answers what was deleted,
 * exactly as read; null when there was none.
 */
export async function deleteVersioned<T extends Versioned>(
  collection: Collection<T>,
  kind: string,
  id: string,
  version: number | null,
): Promise<T | null> {
  const doc = await collection.findOne({ _id: { $eq: id } } as Filter<T>) as T | null;
  if (!doc) return null;
  if (version !== null && doc.version !== version) throw new VersionConflict(kind, id, version);
  const { deletedCount } = await collection.deleteOne(
    { _id: { $eq: id }, version: { $eq: doc.version } } as Filter<T>,
  );
  if (deletedCount === 0) throw new VersionConflict(kind, id, doc.version);
  return doc;
}
