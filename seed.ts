/**
 * `deno task seed`: loads the demo category tree, two warehouses and the catalog (72 products
 * with stock split over them) into the configured stores through the same use cases the admin
 * API uses. Categories, warehouses and products that already exist are skipped, so it is safe
 * to run again.
 */
import { parseConfig } from "./config.ts";
import { buildRuntime, settingsOf } from "./composition.ts";
import { bindUseCases } from "./application/use_cases.ts";
import {
  SEED_EAST_THRESHOLD,
  SEED_WAREHOUSES,
  seedCatalog,
  seedEastStock,
} from "./adapters/memory/seed.ts";
import { SEED_CATEGORIES } from "./adapters/memory/seed_categories.ts";
import { seedShippingAndTax } from "./adapters/memory/seed_checkout.ts";
import { seedDemoOrders } from "./adapters/memory/seed_orders.ts";
import { requireServers, startProcess } from "./startup.ts";

async function main(): Promise<void> {
  const config = parseConfig({ ...Deno.env.toObject(), SEED: "0" });
  requireServers(config, "the seed", ["DATABASE_URL", "MONGO_URL"], "fill");
  const runtime = await buildRuntime(config);
  const { ports } = runtime;
  const useCases = bindUseCases(ports, settingsOf(config));
  try {
    let categories = 0;
    for (const category of SEED_CATEGORIES) { // parents first
      if (await ports.categories.get(category.slug)) continue;
      await useCases.createCategory(category);
      categories++;
    }
    const seed = seedCatalog(ports.clock.now());
    const rows = new Map(seed.inventory.map((i) => [i.sku, i]));
    const known = new Set((await useCases.listWarehouses()).map((w) => w.code));
    for (const w of SEED_WAREHOUSES) if (!known.has(w.code)) await useCases.createWarehouse(w);
    let created = 0;
    for (const product of seed.products) {
      if (await ports.inventory.get(product.sku)) continue;
      const units = rows.get(product.sku)?.stock ?? 0;
      // Variants are SKUs: each with the seed's price and stock (laptops, t-shirts).
      const variants = product.variants.map((v) => ({
        sku: v.sku,
        label: v.label,
        attrs: v.attrs,
        priceCents: rows.get(v.sku)?.unitPriceCents,
        stock: rows.get(v.sku)?.stock ?? 0,
      }));
      await useCases.createProduct({ ...product, variants, stock: units });
      // Part of some SKUs' stock lives in the second warehouse (see seedEastStock).
      for (const { sku, stock } of [{ sku: product.sku, stock: units }, ...variants]) {
        const east = seedEastStock({ sku, stock });
        if (east === 0) continue;
        await useCases.adjustInventory(sku, { warehouse: "main", delta: -east });
        await useCases.adjustInventory(sku, {
          warehouse: "east",
          stock: east,
          lowStockThreshold: SEED_EAST_THRESHOLD,
        });
      }
      created++;
    }
    await seedShippingAndTax(ports);
    await seedDemoOrders(useCases, ports.logger);
    ports.logger.info("seed finished", {
      categories,
      created,
      skipped: seed.products.length - created,
    });
  } finally {
    await runtime.close();
  }
}

if (import.meta.main) await startProcess("polycart seed", main);
