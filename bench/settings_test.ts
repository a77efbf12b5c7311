import assert from "node:assert/strict";
import { benchSettings, withPath } from "./settings.ts";
import { wrkSpec } from "./load.ts";
import {
  apiEnv,
  benchProducts,
  CATALOG_FIRST_SKU,
  CATALOG_SIZE,
  catalogSku,
  HOT_SKU,
  PROBE_SKU_API,
  PROBE_SKU_PGBENCH,
} from "./fixtures.ts";
import { slugify } from "../domain/catalog/product.ts";
import { parseConfig } from "../config.ts";

const servers = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/polycart",
  REDIS_URL: "redis://127.0.0.1:6379",
  MONGO_URL: "mongodb://127.0.0.1:27017/polycart",
  ELASTICSEARCH_URL: "http://127.0.0.1:9200",
};

Deno.test("benchSettings()", async (t) => {
  await t.step("its own database, Redis db, MongoDB database and index prefix by default", () => {
    const s = benchSettings(servers, 2);
    assert.equal(s.databaseUrl, "postgres://u:p@127.0.0.1:5432/polycart_bench");
    assert.equal(s.adminDatabaseUrl, servers.DATABASE_URL);
    assert.equal(s.redisUrl, "redis://127.0.0.1:6379/9");
    assert.equal(s.mongoDb, "bench");
    assert.equal(s.esPrefix, "bench");
    assert.equal(s.durationS, 10);
    assert.equal(s.connections, 10);
    assert.equal(s.only, null);
    assert.equal(s.serverCpu, "0");
    assert.equal(s.loadCpu, "1");
  });

  await t.step("durations, scenarios and pinning are configurable", () => {
    const s = benchSettings({
      ...servers,
      BENCH_DURATION_S: "3",
      BENCH_WARMUP_S: "0",
      BENCH_ONLY: "hello, search",
      BENCH_PIN: "0",
      BENCH_REDIS_DB: "4",
      BENCH_README: "1",
    }, 8);
    assert.equal(s.durationS, 3);
    assert.equal(s.warmupS, 0);
    assert.deepEqual([...s.only!], ["hello", "search"]);
    assert.equal(s.serverCpu, null);
    assert.equal(s.redisUrl, "redis://127.0.0.1:6379/4");
    assert.equal(s.updateReadme, true);
  });

  await t.step("no pinning on one core; missing servers and bad values are refused", () => {
    assert.equal(benchSettings(servers, 1).loadCpu, null);
    assert.throws(() => benchSettings({ ...servers, REDIS_URL: "" }, 2), /REDIS_URL is not set/);
    assert.throws(
      () => benchSettings({ ...servers, BENCH_DURATION_S: "0" }, 2),
      /BENCH_DURATION_S/,
    );
    assert.throws(() => benchSettings({ ...servers, BENCH_PG_DB: "x; drop" }, 2), /BENCH_PG_DB/);
  });

  await t.step("a smoke run: short, and on stores and ports a full run does not use", () => {
    const full = benchSettings({ ...servers, BENCH_README: "1" }, 2);
    const smoke = benchSettings({ ...servers, BENCH_README: "1" }, 2, "smoke");
    assert.equal(full.smoke, false);
    assert.equal(smoke.smoke, true);
    assert.equal(smoke.durationS, 2);
    assert.equal(smoke.warmupS, 0);
    assert.ok(smoke.visibilitySamples < full.visibilitySamples);
    assert.equal(smoke.databaseUrl, "postgres://u:p@127.0.0.1:5432/polycart_bench_smoke");
    for (const key of ["databaseName", "redisUrl", "mongoDb", "esPrefix", "apiPort", "helloPort"]) {
      const k = key as keyof typeof smoke;
      assert.notEqual(smoke[k], full[k], key);
    }
    assert.equal(full.updateReadme, true);
    assert.equal(smoke.updateReadme, false, "a smoke never rewrites the README");
  });

  await t.step("withPath() swaps the database path only", () => {
    assert.equal(withPath("redis://:pw@h:1/0", "9"), "redis://:pw@h:1/9");
  });
});

Deno.test("wrkSpec() writes one tab-separated setting per line", () => {
  const spec = wrkSpec({
    url: "http://127.0.0.1:1",
    method: "POST",
    paths: ["/orders"],
    bodies: ['{"sku":"{sku}"}'],
    headers: { "content-type": "application/json" },
    tokens: ["t1", "t2"],
    skuRange: [100, 199],
    captureTook: true,
    tokenPerConnection: true,
  });
  assert.equal(
    spec,
    "method\tPOST\nheader\tcontent-type\tapplication/json\npath\t/orders\n" +
      'body\t{"sku":"{sku}"}\ntoken\tt1\ntoken\tt2\nsku\t100\t199\ntook\t1\npin\t1\n',
  );
  assert.throws(() => wrkSpec({ url: "u", paths: ["/a\tb"] }), /tab or newline/);
});

Deno.test("wrkSpec() declares every body JSON, unless the spec names the type itself", () => {
  const post = { url: "u", method: "POST", paths: ["/cart/items"], bodies: ["{}"] };
  assert.match(wrkSpec(post), /^header\tcontent-type\tapplication\/json$/m);
  const typed = wrkSpec({ ...post, headers: { "Content-Type": "application/merge-patch+json" } });
  assert.doesNotMatch(typed, /application\/json$/m);
  assert.doesNotMatch(wrkSpec({ url: "u", paths: ["/products/1"] }), /^header/m);
});

Deno.test("apiEnv(): the API the bench starts never caps its users' pending orders", () => {
  const env = apiEnv(benchSettings(servers, 2), { RATE_LIMIT_ENABLED: "0" });
  assert.ok(Number(env.MAX_PENDING_ORDERS_PER_USER) >= 1_000_000);
  assert.equal(env.RATE_LIMIT_ENABLED, "0");
});

Deno.test("apiEnv(): the API the bench starts uses the single Redis even beside a cluster", () => {
  const inherited = { REDIS_CLUSTER_NODES: "127.0.0.1:7000" }; // .ci/run exports it
  const config = parseConfig({ ...inherited, ...apiEnv(benchSettings(servers, 2)) });
  assert.equal(config.REDIS_CLUSTER_NODES, undefined);
  assert.ok(config.REDIS_URL);
});

Deno.test("benchProducts(): 1,000 numeric SKUs plus the hot ones, each slug unique", () => {
  const products = benchProducts(new Date("2025-03-03T00:00:00Z"));
  assert.equal(products.length, CATALOG_SIZE + 3);
  assert.equal(products[0].sku, String(CATALOG_FIRST_SKU));
  assert.equal(catalogSku(CATALOG_SIZE - 1), String(CATALOG_FIRST_SKU + CATALOG_SIZE - 1));
  assert.deepEqual(products.slice(-3).map((p) => p.sku), [
    HOT_SKU,
    PROBE_SKU_API,
    PROBE_SKU_PGBENCH,
  ]);
  assert.equal(new Set(products.map((p) => p.sku)).size, products.length);
  assert.equal(new Set(products.map((p) => slugify(p.name))).size, products.length);
  assert.ok(products.every((p) => /^\d+$/.test(p.sku) && p.stock > 0));
});

Deno.test("benchProducts(): every product is published already (drafts are unsellable)", () => {
  const now = new Date("2025-03-03T00:00:00Z");
  for (const p of benchProducts(now)) {
    assert.ok(p.publishedAt instanceof Date, `${p.sku} has no publishedAt`);
    assert.ok(p.publishedAt.getTime() <= now.getTime(), `${p.sku} is scheduled`);
  }
});
