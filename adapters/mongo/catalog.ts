import type { Collection, Db, Filter, IndexDescription, Sort } from "mongodb";
import type {
  AttrFilter,
  Product,
  ProductQuery,
  ProductSort,
} from "../../domain/catalog/product.ts";
import { ATTR_NAME, ATTR_OPS } from "../../domain/catalog/product.ts";
import type { PublicationFilter } from "../../domain/catalog/publication.ts";
import { AlreadyExists, NotFound, VersionConflict } from "../../domain/errors.ts";
import type { Page } from "../../domain/pagination.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import { duplicateField, isDuplicateKey, toDomainError } from "./_errors.ts";
import { fromDoc, type ProductDoc, toDoc } from "./_product_doc.ts";

export interface MongoCatalogOptions {
  /** Default `products`. */
  readonly collection?: string;
}

/** Matches nothing: what an attribute filter the domain could never satisfy becomes. */
const NOTHING: Filter<ProductDoc> = { _id: { $in: [] } };

const OPERATOR: Record<AttrFilter["op"], "$eq" | "$gt" | "$gte" | "$lt" | "$lte"> = {
  eq: "$eq",
  gt: "$gt",
  gte: "$gte",
  lt: "$lt",
  lte: "$lte",
};

/**
 * One attribute filter as a typed MongoDB condition, built only from a checked name (domain
 * `ATTR_NAME`: letters, digits, `_`; so no `$` or `.`), one of the five operators, and a
 * scalar value that MongoDB compares as data (`$eq` for equality, so even a string like
 * `{"$gt": ""}` is only ever a string). Type brackets match the domain: `"16"` never equals
 * 16, and booleans have no order.
 */
export function attrCondition(filter: AttrFilter): Filter<ProductDoc> {
  const { name, op, value } = filter;
  if (!ATTR_NAME.test(name) || !ATTR_OPS.includes(op)) return NOTHING;
  const scalar = typeof value === "string" || typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value));
  if (!scalar) return NOTHING;
  if (op !== "eq" && typeof value === "boolean") return NOTHING;
  const condition = { [OPERATOR[op]]: value };
  // Variant-aware (domain `matchesAttrOrVariant`): the product's attributes or a live variant's.
  return {
    $or: [
      { [`attrs.${name}`]: condition },
      { variants: { $elemMatch: { retired: { $ne: true }, [`attrs.${name}`]: condition } } },
    ],
  } as Filter<ProductDoc>;
}

/**
 * Publication status at `at`: drafts have a null `publishedAt`, scheduled ones a later time,
 * published ones a time at or before it. `$ne: null` keeps nulls out of the range operators
 * whatever the server's type bracketing.
 */
export function publicationCondition(filter: PublicationFilter): Filter<ProductDoc> {
  switch (filter.status) {
    case "draft":
      return { publishedAt: { $eq: null } };
    case "scheduled":
      return { publishedAt: { $ne: null, $gt: filter.at } };
    case "published":
      return { publishedAt: { $ne: null, $lte: filter.at } };
  }
}

/**
 * The browse filter: the category or anything below it (its breadcrumbs name it; documents
 * written before the tree only by their own category), exact brand and tag, inclusive
 * minimum rating, attributes and publication status.
 */
export function productFilter(query: ProductQuery): Filter<ProductDoc> {
  const and: Filter<ProductDoc>[] = [];
  if (query.category !== undefined) {
    and.push({
      $or: [{ category: { $eq: query.category } }, {
        "breadcrumbs.slug": { $eq: query.category },
      }],
    });
  }
  if (query.brand !== undefined) and.push({ brand: { $eq: query.brand } });
  if (query.tag !== undefined) and.push({ tags: { $eq: query.tag } });
  if (query.minRating !== undefined) and.push({ "ratings.avg": { $gte: query.minRating } });
  if (query.vendorId !== undefined) and.push({ vendorId: { $eq: query.vendorId } });
  for (const filter of query.attrs) and.push(attrCondition(filter));
  if (query.publication !== undefined) and.push(publicationCondition(query.publication));
  return and.length === 0 ? {} : { $and: and };
}

/** Domain `compareProducts` as a MongoDB sort: null `publishedAt` sorts last when newest. */
export const SORTS: Record<ProductSort, Sort> = {
  rating: { "ratings.avg": -1, "ratings.count": -1, sku: 1 },
  price_asc: { priceCents: 1, sku: 1 },
  price_desc: { priceCents: -1, sku: 1 },
  newest: { publishedAt: -1, sku: 1 },
};

const INDEXES: IndexDescription[] = [
  { key: { sku: 1 }, name: "sku_unique", unique: true },
  { key: { slug: 1 }, name: "slug_unique", unique: true },
  { key: { category: 1, "ratings.avg": -1, "ratings.count": -1, sku: 1 }, name: "browse_rating" },
  { key: { category: 1, priceCents: 1, sku: 1 }, name: "browse_price" },
  { key: { category: 1, publishedAt: -1, sku: 1 }, name: "browse_newest" },
  { key: { tags: 1, "ratings.avg": -1 }, name: "browse_tags" },
  { key: { brand: 1, "ratings.avg": -1 }, name: "browse_brand" },
  { key: { "breadcrumbs.slug": 1, "ratings.avg": -1, sku: 1 }, name: "browse_subtree" },
  // A vendor's products (its page, the vendor sync, the delete check).
  { key: { vendorId: 1, sku: 1 }, name: "by_vendor" },
  // Lookup by variant SKU (`GET /products/:sku` with a variant's SKU); sparse: most have none.
  { key: { "variants.sku": 1 }, name: "variant_sku", sparse: true },
];

/**
 * Category + any attribute range + rating order. A compound wildcard index needs MongoDB 7;
 * where the server refuses it, a plain wildcard index on `attrs` serves the attribute part.
 */
const ATTR_INDEXES: IndexDescription[] = [
  { key: { category: 1, "attrs.$**": 1, "ratings.avg": -1 }, name: "browse_attrs" },
  { key: { "attrs.$**": 1 }, name: "attrs_wildcard" },
];

const MAX_DELETE_ATTEMPTS = 10;

/**
 * `Catalog` on MongoDB. Documents have `_id` = SKU; writes are whole-document (insert,
 * replace, delete), so every change stream event names its SKU. `replace` is optimistic: it
 * matches `{_id, version}`. Indexes are ensured on first use (or by `ensureIndexes()`).
 * Unreachable server: `DependencyUnavailable("mongodb")`.
 */
export class MongoCatalog implements Catalog {
  readonly #products: Collection<ProductDoc>;
  #ready: Promise<void> | null = null;

  constructor(db: Db, options: MongoCatalogOptions = {}) {
    this.#products = db.collection<ProductDoc>(options.collection ?? "products");
  }

  /** Creates the indexes (idempotent). Called lazily before the first operation. */
  ensureIndexes(): Promise<void> {
    this.#ready ??= this.#createIndexes().catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  get(sku: string): Promise<Product | null> {
    return this.#run(async () => {
      const doc = await this.#products.findOne({ _id: { $eq: sku } });
      return doc ? fromDoc(doc) : null;
    });
  }

  getBySlug(slug: string): Promise<Product | null> {
    return this.#run(async () => {
      const doc = await this.#products.findOne({ slug: { $eq: slug } });
      return doc ? fromDoc(doc) : null;
    });
  }

  getByVariantSku(sku: string): Promise<Product | null> {
    return this.#run(async () => {
      const doc = await this.#products.findOne({ "variants.sku": { $eq: sku } });
      return doc ? fromDoc(doc) : null;
    });
  }

  getMany(skus: readonly string[]): Promise<Product[]> {
    const wanted = [...new Set(skus)];
    if (wanted.length === 0) return Promise.resolve([]);
    return this.#run(async () => {
      const docs = await this.#products.find({ _id: { $in: wanted } }).toArray();
      const bySku = new Map(docs.map((doc) => [doc._id, doc]));
      return wanted.flatMap((sku) => {
        const doc = bySku.get(sku);
        return doc ? [fromDoc(doc)] : [];
      });
    });
  }

  list(query: ProductQuery): Promise<Page<Product>> {
    return this.#run(async () => {
      const filter = productFilter(query);
      const [docs, total] = await Promise.all([
        this.#products.find(filter).sort(SORTS[query.sort])
          .skip((query.page - 1) * query.size).limit(query.size).toArray(),
        this.#products.countDocuments(filter),
      ]);
      return { items: docs.map(fromDoc), page: query.page, size: query.size, total };
    });
  }

  create(product: Product): Promise<Product> {
    return this.#run(async () => {
      const doc = toDoc(product);
      try {
        await this.#products.insertOne(doc);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Report the SKU when it is taken, whichever unique index the server checked first.
        const skuTaken = duplicateField(error) === "sku" ||
          await this.#products.countDocuments({ _id: { $eq: product.sku } }, { limit: 1 }) > 0;
        throw skuTaken
          ? new AlreadyExists("product", "sku", product.sku)
          : new AlreadyExists("product", "slug", product.slug);
      }
      return fromDoc(doc);
    });
  }

  replace(product: Product): Promise<Product> {
    return this.#run(async () => {
      const doc = toDoc({ ...product, version: product.version + 1 });
      let matched: number;
      try {
        const { _id, ...replacement } = doc;
        const result = await this.#products.replaceOne(
          { _id: { $eq: _id }, version: { $eq: product.version } },
          replacement,
        );
        matched = result.matchedCount;
      } catch (error) {
        if (isDuplicateKey(error)) throw new AlreadyExists("product", "slug", product.slug);
        throw error;
      }
      if (matched === 0) {
        const exists = await this.#products.countDocuments({ _id: { $eq: product.sku } }, {
          limit: 1,
        });
        if (exists === 0) throw new NotFound("product", product.sku);
        throw new VersionConflict("product", product.sku, product.version);
      }
      return fromDoc(doc);
    });
  }

  delete(sku: string): Promise<Product | null> {
    return this.#run(async () => {
      // Read, then delete only that version: returns exactly what was deleted even when a
      // replace races in. (Not findOneAndDelete: the CI wire server logs no change for it.)
      for (let attempt = 0; attempt < MAX_DELETE_ATTEMPTS; attempt++) {
        const doc = await this.#products.findOne({ _id: { $eq: sku } });
        if (!doc) return null;
        const { deletedCount } = await this.#products.deleteOne({
          _id: { $eq: sku },
          version: { $eq: doc.version },
        });
        if (deletedCount === 1) return fromDoc(doc);
      }
      throw new Error(`product ${sku} kept changing while being deleted`);
    });
  }

  async *all(): AsyncIterable<Product> {
    await this.#run(() => this.ensureIndexes());
    const cursor = this.#products.find({}).sort({ _id: 1 }).batchSize(500);
    try {
      for await (const doc of cursor) yield fromDoc(doc);
    } catch (error) {
      throw toDomainError(error);
    } finally {
      await cursor.close();
    }
  }

  async #createIndexes(): Promise<void> {
    await this.#products.createIndexes(INDEXES);
    for (const index of ATTR_INDEXES) {
      try {
        await this.#products.createIndexes([index]);
        return;
      } catch (error) {
        if (toDomainError(error) !== error) throw error;
      }
    }
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
