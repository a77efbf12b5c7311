import assert from "node:assert/strict";
import {
  ancestorPaths,
  breadcrumbsOf,
  buildTree,
  type Category,
  checkAttributes,
  computedPath,
  definitionProblems,
  descendantsOf,
  effectiveAttributes,
  isWithin,
  lineage,
} from "./category.ts";

function category(
  slug: string,
  parent: string | null,
  overrides: Partial<Category> = {},
): Category {
  return {
    slug,
    name: slug.toUpperCase(),
    parent,
    path: slug,
    attributes: [],
    updatedAt: new Date("2026-01-01T00:00:00.000Z"),
    version: 1,
    ...overrides,
  };
}

const tree = [
  category("electronics", null, {
    attributes: [{ name: "color", type: "string", required: false, facet: true }],
  }),
  category("computers", "electronics", {
    attributes: [{ name: "weight_kg", type: "number", unit: "kg", required: true, facet: false }],
  }),
  category("laptops", "computers", {
    attributes: [
      { name: "cpu", type: "string", required: true, facet: true },
      { name: "color", type: "enum", values: ["black", "silver"], required: false, facet: true },
    ],
  }),
  category("phones", "electronics"),
  category("books", null),
];
const bySlug = new Map(tree.map((c) => [c.slug, c]));

Deno.test("category tree functions", async (t) => {
  await t.step("lineage and paths follow the parents from the root down", () => {
    assert.deepEqual(lineage("laptops", bySlug).map((c) => c.slug), [
      "electronics",
      "computers",
      "laptops",
    ]);
    assert.equal(computedPath("laptops", bySlug), "electronics/computers/laptops");
    assert.deepEqual(ancestorPaths("electronics/computers/laptops"), [
      "electronics",
      "electronics/computers",
      "electronics/computers/laptops",
    ]);
    assert.deepEqual(breadcrumbsOf(lineage("phones", bySlug)), [
      { slug: "electronics", name: "ELECTRONICS" },
      { slug: "phones", name: "PHONES" },
    ]);
  });

  await t.step("lineage refuses a cycle and a missing ancestor", () => {
    const cyclic = new Map(bySlug);
    cyclic.set("electronics", category("electronics", "laptops"));
    assert.throws(() => lineage("laptops", cyclic), /cycle/);
    assert.throws(() => lineage("x", new Map([["x", category("x", "gone")]])), /missing/);
  });

  await t.step("effective attributes: own plus inherited, the nearest declaration wins", () => {
    const effective = effectiveAttributes(lineage("laptops", bySlug));
    assert.deepEqual(effective.map((d) => `${d.name}:${d.type}`), [
      "color:enum",
      "weight_kg:number",
      "cpu:string",
    ]);
    assert.deepEqual(effectiveAttributes(lineage("phones", bySlug)).map((d) => d.name), ["color"]);
  });

  await t.step("checkAttributes names each missing, mistyped or unlisted attribute", () => {
    const defs = effectiveAttributes(lineage("laptops", bySlug));
    assert.deepEqual(checkAttributes(defs, { cpu: "M3", weight_kg: 1.2, extra: 1 }, "laptops"), []);
    assert.deepEqual(
      checkAttributes(defs, { cpu: 3, color: "red" }, "laptops").map((p) => p.path),
      ["attrs.color", "attrs.weight_kg", "attrs.cpu"],
    );
    const [missing] = checkAttributes(defs, { cpu: "M3" }, "laptops");
    assert.equal(missing.message, "attrs.weight_kg is required in category laptops");
    const [wrong] = checkAttributes(defs, { cpu: "M3", weight_kg: "heavy" }, "laptops");
    assert.equal(wrong.message, "attrs.weight_kg must be a number");
    const [notListed] = checkAttributes(defs, { cpu: "M3", weight_kg: 1, color: "red" }, "x");
    assert.equal(notListed.message, "attrs.color must be one of black, silver");
    const booleans = [{ name: "b", type: "boolean" as const, required: false, facet: false }];
    assert.equal(checkAttributes(booleans, { b: "true" }, "x").length, 1);
  });

  await t.step("definitionProblems: enum values, units, names, duplicates", () => {
    assert.deepEqual(
      definitionProblems([
        { name: "a", type: "enum", required: false, facet: false },
        { name: "b", type: "string", values: ["x"], required: false, facet: false },
        { name: "c", type: "string", unit: "kg", required: false, facet: false },
        { name: "a.b", type: "number", required: false, facet: false },
        { name: "d", type: "number", required: false, facet: false },
        { name: "d", type: "number", required: false, facet: false },
      ]).map((p) => p.path),
      [
        "attributes[0].values",
        "attributes[1].values",
        "attributes[2].unit",
        "attributes[3].name",
        "attributes[5].name",
      ],
    );
  });

  await t.step("isWithin finds a move under itself or a descendant", () => {
    assert.equal(isWithin("laptops", "electronics", bySlug), true);
    assert.equal(isWithin("electronics", "electronics", bySlug), true);
    assert.equal(isWithin("books", "electronics", bySlug), false);
    assert.equal(isWithin("electronics", "laptops", bySlug), false);
  });

  await t.step("descendants and the tree, parents first, by name", () => {
    assert.deepEqual(descendantsOf("electronics", tree).map((c) => c.slug), [
      "computers",
      "phones",
      "laptops",
    ]);
    const forest = buildTree(tree);
    assert.deepEqual(forest.map((n) => n.slug), ["books", "electronics"]);
    assert.deepEqual(forest[1].children.map((n) => n.slug), ["computers", "phones"]);
    assert.deepEqual(forest[1].children[0].children.map((n) => n.slug), ["laptops"]);
  });
});
