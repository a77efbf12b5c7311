/**
 * Request and response shapes of the category routes (see _common.ts for the conventions:
 * strict request bodies, named components through `doc`).
 */
import { z } from "zod";
import { ATTRIBUTE_TYPES, CATEGORY_SLUG } from "../../../domain/catalog/category.ts";
import { ATTR_NAME } from "../../../domain/catalog/product.ts";
import { doc, Label } from "./_common.ts";

export const CategorySlug = doc(z.string().regex(CATEGORY_SLUG).max(100), {
  description: "A category's slug: lower-case words joined by `-`, unique in the tree.",
  examples: ["laptops"],
});

const definitionFields = {
  name: z.string().regex(ATTR_NAME).max(64).describe("Attribute name, as in product `attrs`."),
  type: z.enum(ATTRIBUTE_TYPES),
  unit: Label(20).optional().describe("Unit of a number (GB, in, kg)."),
  values: z.array(Label(100)).min(1).max(200).optional()
    .describe("The allowed values of an enum (and only of an enum)."),
};

export const AttributeDefinitionInput = doc(
  z.strictObject({
    ...definitionFields,
    required: z.boolean().default(false).describe("Every product below must carry it."),
    facet: z.boolean().default(false).describe("Search counts products per value."),
  }).refine((d) => (d.type === "enum") === (d.values !== undefined), {
    message: "values is required for an enum and allowed only there",
    path: ["values"],
  }).refine((d) => d.unit === undefined || d.type === "number", {
    message: "unit is only for numbers",
    path: ["unit"],
  }),
  { id: "AttributeDefinitionInput" },
);

const Attributes = z.array(AttributeDefinitionInput).max(100).refine(
  (defs) => new Set(defs.map((d) => d.name)).size === defs.length,
  { message: "each attribute name may be declared once" },
);

export const CreateCategoryRequest = doc(
  z.strictObject({
    slug: CategorySlug,
    name: Label(100),
    parent: CategorySlug.nullable().optional().describe(
      "The parent's slug; absent or null: a root.",
    ),
    attributes: Attributes.default([]),
  }),
  { id: "CreateCategoryRequest" },
);

export const UpdateCategoryRequest = doc(
  z.strictObject({
    name: Label(100).optional(),
    parent: CategorySlug.nullable().optional()
      .describe("Moves the category (with its subtree); null makes it a root."),
    attributes: Attributes.optional().describe("Replaces the category's own definitions."),
  }).refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: "change at least one field",
  }),
  { id: "UpdateCategoryRequest", description: "Rename, move or redefine attributes." },
);

export const CategoryParams = z.object({ slug: CategorySlug });

const AttributeDefinition = doc(
  z.object({
    ...definitionFields,
    required: z.boolean(),
    facet: z.boolean(),
  }),
  { id: "AttributeDefinition" },
);

const Crumb = z.object({ slug: z.string(), name: z.string() });

export const Category = doc(
  z.object({
    slug: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    path: z.string().describe("Slugs from the root down, joined by `/`."),
    breadcrumbs: z.array(Crumb).describe("From the root down to this category."),
    attributes: z.array(AttributeDefinition).describe("Declared on this category."),
    effectiveAttributes: z.array(AttributeDefinition).describe(
      "Declared here or inherited from an ancestor (the nearest declaration wins): what " +
        "products of this category are checked against.",
    ),
    children: z.array(Crumb),
    updatedAt: z.string(),
  }),
  { id: "Category" },
);

interface Node {
  slug: string;
  name: string;
  path: string;
  attributes: z.infer<typeof AttributeDefinition>[];
  children: Node[];
}

export const CategoryNode: z.ZodType<Node> = doc(
  z.object({
    slug: z.string(),
    name: z.string(),
    path: z.string(),
    attributes: z.array(AttributeDefinition),
    get children() {
      return z.array(CategoryNode);
    },
  }),
  { id: "CategoryNode", description: "A category, its own attributes and its children." },
);

export const CategoryTree = doc(z.object({ items: z.array(CategoryNode) }), {
  id: "CategoryTree",
  description: "The root categories, each with its subtree.",
});
