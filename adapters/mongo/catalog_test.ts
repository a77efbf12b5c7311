import assert from "node:assert/strict";
import type { AttrFilter, ProductQuery } from "../../domain/catalog/product.ts";
import { DependencyUnavailable } from "../../domain/errors.ts";
import { catalogContract } from "../../ports/contracts/catalog_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { attrCondition, MongoCatalog, productFilter } from "./catalog.ts";
import { createMongoClient } from "./client.ts";
import { MongoHealthCheck } from "./health.ts";
import { openDatabase, sampleProduct } from "./_test_fixture.ts";

const url = integrationUrl("MONGO_URL");
const ignore = url === undefined;

catalogContract("MongoCatalog", async () => {
  const { db, close } = await openDatabase(url!);
  return { subject: new MongoCatalog(db), close };
}, { ignore });

const query = (overrides: Partial<ProductQuery> = {}): ProductQuery => ({
  attrs: [],
  sort: "price_asc",
  page: 1,
  size: 50,
  ...overrides,
});

Deno.test({
  name: "MongoCatalog on a real server",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await t.step("attribute filters keep client input as data, never as operators", async () => {
      const { db, close } = await openDatabase(url!);
      try {
        const catalog = new MongoCatalog(db);
        const plain = await catalog.create(sampleProduct({ attrs: { color: "black", ram: 16 } }));
        const odd = await catalog.create(sampleProduct({ attrs: { color: '{"$gt": ""}' } }));
        const list = async (attrs: AttrFilter[]) =>
          (await catalog.list(query({ attrs }))).items.map((p) => p.sku).sort();
        assert.deepEqual(await list([{ name: "color", op: "eq", value: '{"$gt": ""}' }]), [
          odd.sku,
        ]);
        assert.deepEqual(
          await list([{ name: "color", op: "gt", value: "" }]),
          [plain.sku, odd.sku].sort(),
          "the typed operator itself works",
        );
        const injected = { $gt: "" } as unknown as string;
        assert.deepEqual(await list([{ name: "color", op: "eq", value: injected }]), []);
        assert.deepEqual(await list([{ name: "$where", op: "eq", value: "1" }]), []);
        assert.deepEqual(await list([{ name: "color.$gt", op: "eq", value: "" }]), []);
        assert.deepEqual(await list([{ name: "color", op: "$ne" as "eq", value: "x" }]), []);
        assert.deepEqual(await list([{ name: "ram", op: "gte", value: 8 }]), [plain.sku]);
        assert.deepEqual(await list([{ name: "ram", op: "gte", value: true }]), []);
      } finally {
        await close();
      }
    });

    await t.step("creates the unique and browse indexes", async () => {
      const { db, close } = await openDatabase(url!);
      try {
        const catalog = new MongoCatalog(db);
        await catalog.ensureIndexes();
        const indexes = await db.collection("products").indexes();
        const names = indexes.map((i) => i.name);
        for (const name of ["sku_unique", "slug_unique", "browse_rating", "browse_tags"]) {
          assert.ok(names.includes(name), `${name} in ${names}`);
        }
        assert.ok(names.includes("browse_attrs") || names.includes("attrs_wildcard"));
        assert.equal(indexes.find((i) => i.name === "slug_unique")?.unique, true);
      } finally {
        await close();
      }
    });

    await t.step("documents that fail validation are refused on read", async () => {
      const { db, close } = await openDatabase(url!);
      try {
        const catalog = new MongoCatalog(db);
        await db.collection("products").insertOne({ _id: "BROKEN" as never, sku: "BROKEN" });
        await assert.rejects(
          catalog.get("BROKEN"),
          (e) => e instanceof Error && e.name === "ZodError",
        );
      } finally {
        await close();
      }
    });

    await t.step("the health check pings the server", async () => {
      const { db, close } = await openDatabase(url!);
      try {
        const health = new MongoHealthCheck(db);
        await health.check();
        assert.equal(health.critical, false);
      } finally {
        await close();
      }
    });
  },
});

Deno.test("MongoCatalog throws DependencyUnavailable when the server is down", async () => {
  const client = createMongoClient("mongodb://127.0.0.1:9/polycart", {
    serverSelectionTimeoutMs: 300,
  });
  try {
    const catalog = new MongoCatalog(client.db());
    await assert.rejects(catalog.get("X"), DependencyUnavailable);
    await assert.rejects(new MongoHealthCheck(client.db()).check(), DependencyUnavailable);
  } finally {
    await client.close();
  }
});

/** The product's attribute, or a live variant's (variant-aware browse). */
function ownOrVariant(name: string, condition: Record<string, unknown>) {
  return {
    $or: [
      { [`attrs.${name}`]: condition },
      { variants: { $elemMatch: { retired: { $ne: true }, [`attrs.${name}`]: condition } } },
    ],
  };
}

Deno.test("attribute filters are built from checked names, five operators and scalars", () => {
  assert.deepEqual(
    attrCondition({ name: "ram_gb", op: "gte", value: 16 }),
    ownOrVariant("ram_gb", { $gte: 16 }),
  );
  assert.deepEqual(
    attrCondition({ name: "color", op: "eq", value: '{"$gt":""}' }),
    ownOrVariant("color", { $eq: '{"$gt":""}' }),
  );
  const nothing = { _id: { $in: [] } };
  assert.deepEqual(attrCondition({ name: "a.b", op: "eq", value: 1 }), nothing);
  assert.deepEqual(attrCondition({ name: "$where", op: "eq", value: 1 }), nothing);
  assert.deepEqual(attrCondition({ name: "a", op: "ne" as "eq", value: 1 }), nothing);
  assert.deepEqual(attrCondition({ name: "a", op: "lt", value: false }), nothing);
  assert.deepEqual(attrCondition({ name: "a", op: "eq", value: NaN }), nothing);
  assert.deepEqual(
    attrCondition({ name: "a", op: "eq", value: { $ne: null } as unknown as string }),
    nothing,
  );
  assert.deepEqual(
    productFilter(query({
      category: "laptops",
      minRating: 4,
      attrs: [{ name: "ram", op: "gte", value: 8 }, { name: "ram", op: "lte", value: 32 }],
    })),
    {
      $and: [
        { $or: [{ category: { $eq: "laptops" } }, { "breadcrumbs.slug": { $eq: "laptops" } }] },
        { "ratings.avg": { $gte: 4 } },
        ownOrVariant("ram", { $gte: 8 }),
        ownOrVariant("ram", { $lte: 32 }),
      ],
    },
  );
  assert.deepEqual(productFilter(query()), {});
});
