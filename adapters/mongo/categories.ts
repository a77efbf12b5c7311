import type { Collection, Db } from "mongodb";
import { z } from "zod";
import { deleteVersioned, throwMissOrConflict } from "./_versioned.ts";
import { ATTRIBUTE_TYPES, type Category } from "../../domain/catalog/category.ts";
import { AlreadyExists } from "../../domain/errors.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import { isDuplicateKey, toDomainError } from "./_errors.ts";

export interface MongoCategoriesOptions {
  /** Default `categories`. */
  readonly collection?: string;
}

const Definition = z.object({
  name: z.string(),
  type: z.enum(ATTRIBUTE_TYPES),
  unit: z.string().optional(),
  values: z.array(z.string()).optional(),
  required: z.boolean(),
  facet: z.boolean(),
});

/** A `categories` document: the category with `_id` = slug (so change events name it). */
export const CategoryDoc = z.object({
  _id: z.string(),
  slug: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  path: z.string(),
  attributes: z.array(Definition),
  updatedAt: z.date(),
  version: z.number().int(),
});
export type CategoryDoc = z.infer<typeof CategoryDoc>;

/** Field by field, optional members left out rather than stored as null. */
export function toCategoryDoc(c: Category): CategoryDoc {
  return {
    _id: c.slug,
    slug: c.slug,
    name: c.name,
    parent: c.parent,
    path: c.path,
    attributes: c.attributes.map((d) => ({
      name: d.name,
      type: d.type,
      ...(d.unit === undefined ? {} : { unit: d.unit }),
      ...(d.values === undefined ? {} : { values: [...d.values] }),
      required: d.required,
      facet: d.facet,
    })),
    updatedAt: c.updatedAt,
    version: c.version,
  };
}

export function fromCategoryDoc(raw: unknown): Category {
  const { _id: _ignored, ...category } = CategoryDoc.parse(raw);
  return category;
}

/**
 * `Categories` on MongoDB: one document per category, whole-document writes (insert,
 * replace-if-version, delete-if-version), so every change stream event names its slug.
 * Unreachable server: `DependencyUnavailable("mongodb")`.
 */
export class MongoCategories implements Categories {
  readonly #categories: Collection<CategoryDoc>;
  #ready: Promise<void> | null = null;

  constructor(db: Db, options: MongoCategoriesOptions = {}) {
    this.#categories = db.collection<CategoryDoc>(options.collection ?? "categories");
  }

  ensureIndexes(): Promise<void> {
    this.#ready ??= this.#categories.createIndexes([
      { key: { parent: 1, _id: 1 }, name: "by_parent" },
    ]).then(() => {}).catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  get(slug: string): Promise<Category | null> {
    return this.#run(async () => {
      const doc = await this.#categories.findOne({ _id: { $eq: slug } });
      return doc ? fromCategoryDoc(doc) : null;
    });
  }

  all(): Promise<Category[]> {
    return this.#run(async () =>
      (await this.#categories.find({}).sort({ _id: 1 }).toArray()).map(fromCategoryDoc)
    );
  }

  children(slug: string): Promise<string[]> {
    return this.#run(async () => {
      const docs = await this.#categories.find({ parent: { $eq: slug } }, {
        projection: { _id: 1 },
      }).sort({ _id: 1 }).toArray();
      return docs.map((d) => d._id);
    });
  }

  create(category: Category): Promise<Category> {
    return this.#run(async () => {
      const doc = toCategoryDoc(category);
      try {
        await this.#categories.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new AlreadyExists("category", "slug", category.slug);
        throw error;
      }
      return fromCategoryDoc(doc);
    });
  }

  replace(category: Category): Promise<Category> {
    return this.#run(async () => {
      const { _id, ...replacement } = toCategoryDoc({
        ...category,
        version: category.version + 1,
      });
      const result = await this.#categories.replaceOne(
        { _id: { $eq: _id }, version: { $eq: category.version } },
        replacement,
      );
      if (result.matchedCount === 0) {
        await throwMissOrConflict(this.#categories, "category", category.slug, category.version);
      }
      return fromCategoryDoc({ _id, ...replacement });
    });
  }

  delete(slug: string, version: number | null): Promise<Category | null> {
    return this.#run(async () => {
      const doc = await deleteVersioned(this.#categories, "category", slug, version);
      return doc && fromCategoryDoc(doc);
    });
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.ensureIndexes();
      return await operation();
    } catch (error) {
      throw toDomainError(error);
    }
  }
}
