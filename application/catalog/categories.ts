/**
 * The category tree's use cases: read the tree and one category (with its breadcrumbs and
 * effective attributes), and the admin writes. A write touches one category document in
 * MongoDB and nothing else: descendants' paths and the products' breadcrumbs follow through
 * the category change feed (category_sync.ts), never as a second write here.
 *
 * There are no multi-document transactions, so rules that span documents are checked, the
 * write is made, and the rule is checked again; a write that a concurrent one made wrong is
 * undone (two moves racing into a cycle both see it afterwards; the later one undoes).
 */
import {
  type AttributeDefinition,
  type Breadcrumb,
  breadcrumbsOf,
  buildTree,
  type Category,
  CATEGORY_SLUG,
  type CategoryNode,
  computedPath,
  definitionProblems,
  effectiveAttributes,
  isWithin,
  lineage,
} from "../../domain/catalog/category.ts";
import {
  CategoryCycle,
  CategoryInUse,
  InvalidCategory,
  NotFound,
  UnknownCategory,
} from "../../domain/errors.ts";
import type { Catalog } from "../../ports/catalog/catalog.ts";
import type { Categories } from "../../ports/catalog/categories.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Logger } from "../../ports/logger.ts";
import { bestEffort } from "../_best_effort.ts";

export interface CategoryDeps {
  readonly categories: Categories;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface CategoryView {
  readonly slug: string;
  readonly name: string;
  readonly parent: string | null;
  readonly path: string;
  /** From the root down to this category, itself included. */
  readonly breadcrumbs: readonly Breadcrumb[];
  /** Declared here. */
  readonly attributes: readonly AttributeDefinition[];
  /** Declared here or inherited, the nearest declaration of a name winning. */
  readonly effectiveAttributes: readonly AttributeDefinition[];
  readonly children: readonly Breadcrumb[];
  readonly updatedAt: Date;
}

export interface NewCategoryInput {
  readonly slug: string;
  readonly name: string;
  readonly parent?: string | null;
  readonly attributes?: readonly AttributeDefinition[];
}

export interface CategoryPatch {
  readonly name?: string;
  /** null: make it a root. */
  readonly parent?: string | null;
  readonly attributes?: readonly AttributeDefinition[];
}

async function snapshot(deps: Pick<CategoryDeps, "categories">) {
  const all = await deps.categories.all();
  return { all, bySlug: new Map(all.map((c) => [c.slug, c])) };
}

export async function categoryTree(
  deps: Pick<CategoryDeps, "categories">,
): Promise<CategoryNode[]> {
  return buildTree(await deps.categories.all());
}

/** Breadcrumbs and attributes follow the parents (the truth), not the stored path copies. */
export async function getCategory(
  deps: Pick<CategoryDeps, "categories">,
  slug: string,
): Promise<CategoryView> {
  const { all, bySlug } = await snapshot(deps);
  const category = bySlug.get(slug);
  if (!category) throw new NotFound("category", slug);
  return viewOf(category, all, bySlug);
}

function viewOf(
  category: Category,
  all: readonly Category[],
  bySlug: ReadonlyMap<string, Category>,
): CategoryView {
  const chain = lineage(category.slug, bySlug);
  return {
    slug: category.slug,
    name: category.name,
    parent: category.parent,
    path: chain.map((c) => c.slug).join("/"),
    breadcrumbs: breadcrumbsOf(chain),
    attributes: category.attributes,
    effectiveAttributes: effectiveAttributes(chain),
    children: all.filter((c) => c.parent === category.slug)
      .map((c) => ({ slug: c.slug, name: c.name })),
    updatedAt: category.updatedAt,
  };
}

function checkDefinitions(slug: string, attributes: readonly AttributeDefinition[]): void {
  const problems = definitionProblems(attributes);
  if (problems.length > 0) throw new InvalidCategory(slug, problems);
}

export async function createCategory(
  deps: CategoryDeps,
  input: NewCategoryInput,
): Promise<CategoryView> {
  const attributes = input.attributes ?? [];
  if (!CATEGORY_SLUG.test(input.slug)) {
    throw new InvalidCategory(input.slug, [{
      path: "slug",
      message: "slug must be lower-case words joined by -",
    }]);
  }
  checkDefinitions(input.slug, attributes);
  const parent = input.parent ?? null;
  const { bySlug } = await snapshot(deps);
  if (parent !== null && !bySlug.has(parent)) throw new UnknownCategory(parent, "parent");
  const path = parent === null ? input.slug : `${computedPath(parent, bySlug)}/${input.slug}`;
  const created = await deps.categories.create({
    slug: input.slug,
    name: input.name,
    parent,
    path,
    attributes,
    updatedAt: deps.clock.now(),
    version: 1,
  });
  // The parent may have been deleted meanwhile: then this one would be an orphan.
  if (parent !== null && !(await deps.categories.get(parent))) {
    await bestEffort(
      deps.logger,
      `undo category create of ${created.slug}`,
      () => deps.categories.delete(created.slug, created.version),
    );
    throw new UnknownCategory(parent, "parent");
  }
  return getCategory(deps, created.slug);
}

/**
 * Renames, moves (new `parent`) or redefines attributes. Moving under itself or a descendant
 * is `CategoryCycle`. Products already in the subtree are not re-checked against changed
 * definitions; their next write is.
 */
export async function updateCategory(
  deps: CategoryDeps,
  slug: string,
  patch: CategoryPatch,
): Promise<CategoryView> {
  const { bySlug } = await snapshot(deps);
  const before = bySlug.get(slug);
  if (!before) throw new NotFound("category", slug);
  if (patch.attributes !== undefined) checkDefinitions(slug, patch.attributes);
  const parent = patch.parent === undefined ? before.parent : patch.parent;
  if (parent !== null && parent !== before.parent) {
    if (!bySlug.has(parent)) throw new UnknownCategory(parent, "parent");
    if (isWithin(parent, slug, bySlug)) throw new CategoryCycle(slug, parent);
  }
  const path = parent === null ? slug : `${computedPath(parent, bySlug)}/${slug}`;
  const after = await deps.categories.replace({
    ...before,
    name: patch.name ?? before.name,
    parent,
    path,
    attributes: patch.attributes ?? before.attributes,
    updatedAt: deps.clock.now(),
  });
  if (parent !== before.parent) await confirmPlacement(deps, before, after);
  return getCategory(deps, slug);
}

/** After a move: the new parent still exists and no concurrent move closed a cycle. */
async function confirmPlacement(
  deps: CategoryDeps,
  before: Category,
  after: Category,
): Promise<void> {
  const { bySlug } = await snapshot(deps);
  let failure: Error | null = null;
  if (after.parent !== null && !bySlug.has(after.parent)) {
    failure = new UnknownCategory(after.parent, "parent");
  } else if (after.parent !== null) {
    try {
      lineage(after.slug, bySlug);
    } catch {
      failure = new CategoryCycle(after.slug, after.parent);
    }
  }
  if (!failure) return;
  await bestEffort(deps.logger, `undo category move of ${after.slug}`, async () => {
    const current = await deps.categories.get(after.slug);
    if (current && current.version === after.version) {
      await deps.categories.replace({
        ...before,
        version: current.version,
        updatedAt: deps.clock.now(),
      });
    }
  });
  throw failure;
}

async function usage(deps: CategoryDeps, slug: string) {
  const [children, products] = await Promise.all([
    deps.categories.children(slug),
    deps.catalog.list({ category: slug, attrs: [], sort: "newest", page: 1, size: 1 }),
  ]);
  return { children, products: products.total };
}

/** Refused (`CategoryInUse`) while products or children name it, drafts included. */
export async function deleteCategory(deps: CategoryDeps, slug: string): Promise<void> {
  const category = await deps.categories.get(slug);
  if (!category) throw new NotFound("category", slug);
  const before = await usage(deps, slug);
  if (before.children.length > 0 || before.products > 0) {
    throw new CategoryInUse(slug, before.products, before.children);
  }
  const deleted = await deps.categories.delete(slug, category.version);
  if (!deleted) throw new NotFound("category", slug);
  // A child or product may have been written between the check and the delete: put it back.
  const after = await usage(deps, slug);
  if (after.children.length > 0 || after.products > 0) {
    await bestEffort(deps.logger, `undo category delete of ${slug}`, async () => {
      await deps.categories.create({ ...deleted, updatedAt: deps.clock.now() });
    });
    throw new CategoryInUse(slug, after.products, after.children);
  }
}
