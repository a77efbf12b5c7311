/**
 * The category tree (MongoDB owns it). Each category names its `parent`; `path` is the
 * materialised ancestry (`electronics/computers/laptops`), a copy kept in step with the parents
 * by the category sync. Attribute definitions are inherited: a category's effective
 * attributes are its own plus every ancestor's, the nearest declaration of a name winning.
 * Pure functions only: callers pass the categories they read.
 */
import type { Attrs, AttrValue } from "./product.ts";
import { ATTR_NAME } from "./product.ts";

export const ATTRIBUTE_TYPES = ["number", "string", "boolean", "enum"] as const;
export type AttributeType = typeof ATTRIBUTE_TYPES[number];

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  /** Shown beside numbers ("GB", "in"); only for `number`. */
  readonly unit?: string;
  /** The allowed values of an `enum` (required there, refused elsewhere). */
  readonly values?: readonly string[];
  /** Every product of the category (and its subtree) must carry it. */
  readonly required: boolean;
  /** Search counts products per value of it. */
  readonly facet: boolean;
}

export interface Category {
  readonly slug: string;
  readonly name: string;
  /** The parent's slug; null for a root. */
  readonly parent: string | null;
  /** Slugs from the root down to this one, joined by `/`. */
  readonly path: string;
  readonly attributes: readonly AttributeDefinition[];
  readonly updatedAt: Date;
  /** Increments on every write. */
  readonly version: number;
}

export interface Breadcrumb {
  readonly slug: string;
  readonly name: string;
}

/** A category with its children, for the tree. */
export interface CategoryNode {
  readonly slug: string;
  readonly name: string;
  readonly path: string;
  readonly attributes: readonly AttributeDefinition[];
  readonly children: readonly CategoryNode[];
}

export const CATEGORY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PATH_SEPARATOR = "/";

/** Where a category's path goes: below its parent's path, or its slug alone for a root. */
export function childPath(parentPath: string | null, slug: string): string {
  return parentPath === null ? slug : `${parentPath}${PATH_SEPARATOR}${slug}`;
}

/** `a/b/c` -> `["a", "a/b", "a/b/c"]`: what subtree filters match on. */
export function ancestorPaths(path: string): string[] {
  const parts = path.split(PATH_SEPARATOR).filter((p) => p !== "");
  return parts.map((_, i) => parts.slice(0, i + 1).join(PATH_SEPARATOR));
}

/** The last segment of a path: the category's own slug. */
export function slugOfPath(path: string): string {
  return path.slice(path.lastIndexOf(PATH_SEPARATOR) + 1);
}

/** Slugs from the root down to `slug`, following parents; throws on a cycle or a gap. */
export function lineage(
  slug: string,
  bySlug: ReadonlyMap<string, Category>,
): Category[] {
  const chain: Category[] = [];
  const seen = new Set<string>();
  let current: string | null = slug;
  while (current !== null) {
    if (seen.has(current)) throw new Error(`category ${slug} sits on a cycle through ${current}`);
    seen.add(current);
    const category = bySlug.get(current);
    if (!category) throw new Error(`category ${current} (an ancestor of ${slug}) is missing`);
    chain.unshift(category);
    current = category.parent;
  }
  return chain;
}

/** The path `slug` should have, computed from the parents (the truth), not the stored copies. */
export function computedPath(slug: string, bySlug: ReadonlyMap<string, Category>): string {
  return lineage(slug, bySlug).map((c) => c.slug).join(PATH_SEPARATOR);
}

export function breadcrumbsOf(chain: readonly Category[]): Breadcrumb[] {
  return chain.map((c) => ({ slug: c.slug, name: c.name }));
}

/**
 * Own plus inherited definitions, root first; a name declared again lower down replaces the
 * ancestor's definition in place (the nearest declaration wins).
 */
export function effectiveAttributes(chain: readonly Category[]): AttributeDefinition[] {
  const byName = new Map<string, AttributeDefinition>();
  for (const category of chain) {
    for (const definition of category.attributes) byName.set(definition.name, definition);
  }
  return [...byName.values()];
}

/** The effective attributes search counts in facets (`facet: true`), sorted by name. */
export function facetableNames(chain: readonly Category[]): string[] {
  return effectiveAttributes(chain).filter((d) => d.facet).map((d) => d.name).sort();
}

/** Category slug -> its effective facetable names, for the whole tree read once. */
export type FacetableByCategory = ReadonlyMap<string, readonly string[]>;

/** Every category's effective facetable names; a category off the tree (a gap) gets none. */
export function facetableByCategory(all: readonly Category[]): FacetableByCategory {
  const bySlug = new Map(all.map((c) => [c.slug, c]));
  const out = new Map<string, readonly string[]>();
  for (const category of all) {
    try {
      out.set(category.slug, facetableNames(lineage(category.slug, bySlug)));
    } catch {
      out.set(category.slug, []);
    }
  }
  return out;
}

/** True when `candidate` is `slug` itself or lies below it (moving `slug` there is a cycle). */
export function isWithin(
  candidate: string,
  slug: string,
  bySlug: ReadonlyMap<string, Category>,
): boolean {
  const seen = new Set<string>();
  let current: string | null = candidate;
  while (current !== null && !seen.has(current)) {
    if (current === slug) return true;
    seen.add(current);
    current = bySlug.get(current)?.parent ?? null;
  }
  return current !== null; // a cycle already: treat as within
}

/** Every category below `slug` (not itself), parents before children. */
export function descendantsOf(
  slug: string,
  categories: readonly Category[],
): Category[] {
  const children = new Map<string, Category[]>();
  for (const c of categories) {
    if (c.parent !== null) children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
  }
  const out: Category[] = [];
  const queue = [slug];
  const seen = new Set(queue);
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.slug)) continue;
      seen.add(child.slug);
      out.push(child);
      queue.push(child.slug);
    }
  }
  return out;
}

/** The forest of categories, each level ordered by name then slug. */
export function buildTree(categories: readonly Category[]): CategoryNode[] {
  const children = new Map<string | null, Category[]>();
  const known = new Set(categories.map((c) => c.slug));
  for (const c of categories) {
    // An orphan (its parent deleted under a race) shows as a root rather than disappearing.
    const parent = c.parent !== null && known.has(c.parent) ? c.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const order = (a: Category, b: Category) =>
    a.name.localeCompare(b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
  const seen = new Set<string>();
  const build = (parent: string | null): CategoryNode[] =>
    [...(children.get(parent) ?? [])].sort(order).flatMap((c) => {
      if (seen.has(c.slug)) return [];
      seen.add(c.slug);
      return [{
        slug: c.slug,
        name: c.name,
        path: c.path,
        attributes: c.attributes,
        children: build(c.slug),
      }];
    });
  return build(null);
}

export interface AttributeProblem {
  /** `attrs.<name>`. */
  readonly path: string;
  readonly message: string;
}

function typeProblem(definition: AttributeDefinition, value: AttrValue): string | null {
  switch (definition.type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "string":
      return typeof value === "string" ? null : "must be a string";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "enum": {
      const values = definition.values ?? [];
      return typeof value === "string" && values.includes(value)
        ? null
        : `must be one of ${values.join(", ")}`;
    }
  }
}

/**
 * Checks product attributes against effective definitions: each required one present, each
 * declared one of its type (an enum value among its values). Undeclared attributes pass (the
 * catalog stays flexible). One problem per attribute, in definition order.
 */
export function checkAttributes(
  definitions: readonly AttributeDefinition[],
  attrs: Attrs,
  category: string,
): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  for (const definition of definitions) {
    const path = `attrs.${definition.name}`;
    const value = Object.hasOwn(attrs, definition.name) ? attrs[definition.name] : undefined;
    if (value === undefined) {
      if (definition.required) {
        problems.push({ path, message: `${path} is required in category ${category}` });
      }
      continue;
    }
    const problem = typeProblem(definition, value);
    if (problem) problems.push({ path, message: `${path} ${problem}` });
  }
  return problems;
}

/** What is wrong with a category's own definitions (names, enum values, units, duplicates). */
export function definitionProblems(
  definitions: readonly AttributeDefinition[],
): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  const seen = new Set<string>();
  definitions.forEach((d, i) => {
    const path = `attributes[${i}]`;
    if (!ATTR_NAME.test(d.name)) {
      problems.push({ path: `${path}.name`, message: `${path}.name must match [A-Za-z0-9_]+` });
    }
    if (seen.has(d.name)) {
      problems.push({ path: `${path}.name`, message: `${path}.name ${d.name} is declared twice` });
    }
    seen.add(d.name);
    if (d.type === "enum" && (d.values === undefined || d.values.length === 0)) {
      problems.push({
        path: `${path}.values`,
        message: `${path}.values must list an enum's values`,
      });
    }
    if (d.type !== "enum" && d.values !== undefined) {
      problems.push({ path: `${path}.values`, message: `${path}.values is only for enums` });
    }
    if (d.type !== "number" && d.unit !== undefined) {
      problems.push({ path: `${path}.unit`, message: `${path}.unit is only for numbers` });
    }
  });
  return problems;
}
