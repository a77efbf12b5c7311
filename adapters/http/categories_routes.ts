/** The category tree: public reads, admin writes (`/admin/categories`). */
import { Hono } from "hono";
import type { AttributeDefinition, CategoryNode } from "../../domain/catalog/category.ts";
import type { CategoryView } from "../../application/catalog/categories.ts";
import type { UseCases } from "../../application/use_cases.ts";
import { type AppEnv, route } from "./_route.ts";
import {
  Category,
  CategoryParams,
  CategoryTree,
  CreateCategoryRequest,
  UpdateCategoryRequest,
} from "./schemas/categories.ts";

const tree = route({
  tag: "Categories",
  summary: "The category tree",
  access: "public",
  success: {
    status: 200,
    description: "Root categories with their subtrees.",
    schema: CategoryTree,
  },
  problems: ["dependency_unavailable"],
});

const get = route({
  tag: "Categories",
  summary: "One category with its breadcrumbs and effective attributes",
  description: "`effectiveAttributes` are the category's own plus every ancestor's: what a " +
    "product of this category must fit. `GET /products?category=` and `/search?category=` " +
    "include every product of the subtree.",
  access: "public",
  params: CategoryParams,
  success: { status: 200, description: "The category.", schema: Category },
  problems: ["not_found", "dependency_unavailable"],
});

const create = route({
  tag: "Categories",
  summary: "Create a category",
  access: "admin",
  body: CreateCategoryRequest,
  success: { status: 201, description: "The new category.", schema: Category },
  problems: ["already_exists", "unknown_category", "invalid_category", "dependency_unavailable"],
});

const update = route({
  tag: "Categories",
  summary: "Rename, move or redefine a category",
  description: "Writes the category only. Its subtree's paths and its products' breadcrumbs " +
    "(and so search) follow through the category change feed within the sync's lag. Moving " +
    "a category under itself or a descendant is 422 category_cycle. Changed attribute " +
    "definitions apply to each product's next write.",
  access: "admin",
  params: CategoryParams,
  body: UpdateCategoryRequest,
  success: { status: 200, description: "The category after the change.", schema: Category },
  problems: [
    "not_found",
    "unknown_category",
    "invalid_category",
    "category_cycle",
    "version_conflict",
    "dependency_unavailable",
  ],
});

const remove = route({
  tag: "Categories",
  summary: "Delete a category",
  description: "Refused with 409 category_in_use while products (drafts included) or child " +
    "categories name it.",
  access: "admin",
  params: CategoryParams,
  success: { status: 204, description: "Deleted." },
  problems: ["not_found", "category_in_use", "version_conflict", "dependency_unavailable"],
});

function definitionJson(d: AttributeDefinition) {
  return {
    name: d.name,
    type: d.type,
    ...(d.unit === undefined ? {} : { unit: d.unit }),
    ...(d.values === undefined ? {} : { values: [...d.values] }),
    required: d.required,
    facet: d.facet,
  };
}

interface NodeJson {
  slug: string;
  name: string;
  path: string;
  attributes: ReturnType<typeof definitionJson>[];
  children: NodeJson[];
}

function nodeJson(n: CategoryNode): NodeJson {
  return {
    slug: n.slug,
    name: n.name,
    path: n.path,
    attributes: n.attributes.map(definitionJson),
    children: n.children.map(nodeJson),
  };
}

export function categoryJson(c: CategoryView) {
  return {
    slug: c.slug,
    name: c.name,
    parent: c.parent,
    path: c.path,
    breadcrumbs: c.breadcrumbs.map((b) => ({ slug: b.slug, name: b.name })),
    attributes: c.attributes.map(definitionJson),
    effectiveAttributes: c.effectiveAttributes.map(definitionJson),
    children: c.children.map((b) => ({ slug: b.slug, name: b.name })),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function categoriesRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", tree.guard, async (c) => {
      return c.json({ items: (await useCases.categoryTree()).map(nodeJson) }, 200);
    })
    .get("/:slug", get.guard, async (c) => {
      return c.json(categoryJson(await useCases.getCategory(get.params(c).slug)), 200);
    });
}

export function adminCategoriesRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/", create.guard, async (c) => {
      const body = await create.body(c);
      return c.json(categoryJson(await useCases.createCategory(body)), 201);
    })
    .patch("/:slug", update.guard, async (c) => {
      const { slug } = update.params(c);
      const patch = await update.body(c);
      return c.json(categoryJson(await useCases.updateCategory(slug, patch)), 200);
    })
    .delete("/:slug", remove.guard, async (c) => {
      await useCases.deleteCategory(remove.params(c).slug);
      return c.body(null, 204);
    });
}
