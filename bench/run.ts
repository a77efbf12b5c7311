/**
 * `deno task bench`: every scenario of issue 5, each measuring the API and its baseline in
 * the same run with the same client count and duration, against the real servers named by
 * DATABASE_URL, REDIS_URL, MONGO_URL and ELASTICSEARCH_URL (on a database, key space, MongoDB
 * database and index prefix of its own, reset first). Writes bench/results/<date>-<HHMM>-<sha>.json
 * and .md; with `--readme` (or BENCH_README=1) also the README's Benchmarks section.
 * `--smoke` (`deno task bench:smoke`, run by CI): every scenario for a couple of seconds on
 * stores of its own, writing only the git-ignored bench/results/smoke.{json,md}, exiting
 * non-zero when a scenario could not run or answered errors (bench/smoke.ts).
 * Settings: bench/settings.ts (BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS,
 * BENCH_ONLY, ...).
 */
import { boundsFor } from "./bounds.ts";
import { BODIES } from "./bodies.ts";
import { browsePaths, browseScenario } from "./browse_scenario.ts";
import { cartScenario } from "./cart_scenario.ts";
import { captureCheckout } from "./checkout_capture.ts";
import { checkoutScenario, hotScenario } from "./checkout_scenario.ts";
import { restarted, serverPids } from "./cpu_accounting.ts";
import { CATALOG_SIZE, resetStores, seedStores } from "./fixtures.ts";
import { helloScenario } from "./hello_scenario.ts";
import { machine } from "./machine.ts";
import { pgbenchScript } from "./pgbench_script.ts";
import { run } from "./procs.ts";
import { type ScenarioId, SCENARIOS, TITLES } from "./scenarios.ts";
import { productScenario } from "./product_scenario.ts";
import { rateLimitScenario } from "./rate_limit_scenario.ts";
import { readmeSection, replaceReadmeSection } from "./readme_section.ts";
import { renderMarkdown, summaryTable } from "./report.ts";
import { type BenchResult, resultName, type ScenarioResult } from "./result.ts";
import { searchScenario } from "./search_scenario.ts";
import { benchSettings } from "./settings.ts";
import { createBenchShipping, gitInfo, registerUsers } from "./setup.ts";
import { SMOKE_RESULT, smokeFailures, unjudgedMisses } from "./smoke.ts";
import { usersScenario } from "./users_scenario.ts";
import { visibilityScenario } from "./visibility_scenario.ts";
import { BENCH, type Ctx, log, ROOT } from "./_harness.ts";
import { busyStartsSoFar, resetBusyStarts } from "./_measure.ts";
import { startApi } from "./_servers.ts";

/** The order they run in: read-only first, the sync worker before checkouts fill the outbox. */
const RUN_ORDER: readonly ScenarioId[] = [
  "hello",
  "product",
  "browse",
  "cart",
  "search",
  "visibility",
  "checkout",
  "hot",
  "users",
  "ratelimit",
];

const RUNNERS: Record<ScenarioId, (ctx: Ctx) => Promise<ScenarioResult>> = {
  hello: helloScenario,
  product: productScenario,
  browse: browseScenario,
  users: async (ctx) =>
    usersScenario(
      ctx,
      { cartItem: BODIES.cartItem, order: BODIES.order(ctx.shippingOptionId) },
      await browsePaths(ctx, 3),
    ),
  cart: cartScenario,
  checkout: checkoutScenario,
  hot: hotScenario,
  search: searchScenario,
  ratelimit: rateLimitScenario,
  visibility: visibilityScenario,
};

// ---- main --------------------------------------------------------------------------------

async function main(): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const mode = Deno.args.includes("--smoke") ? "smoke" : "full";
  const s = benchSettings(Deno.env.toObject(), navigator.hardwareConcurrency, mode);
  if (s.smoke && Deno.args.includes("--readme")) {
    throw new Error("--readme takes a full run's figures; a smoke run never writes the README");
  }
  const updateReadme = s.updateReadme || Deno.args.includes("--readme");
  const selected = RUN_ORDER.filter((id) => !s.only || s.only.has(id));
  const unknown = [...(s.only ?? [])].filter((id) => !SCENARIOS.includes(id as ScenarioId));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenarios: ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`,
    );
  }

  const { sha, dirty } = await gitInfo();
  log(
    `${s.smoke ? "smoke run, " : ""}commit ${sha}${dirty ? " (dirty)" : ""}; ` +
      `scenarios: ${selected.join(", ")}`,
  );
  const info = await machine(s);
  log(
    `machine: ${info.cores} cores, ${info.cpuModel}; load average ${
      (await Deno.readTextFile("/proc/loadavg")).trim()
    }`,
  );

  log(
    `resetting ${s.databaseName}, Redis db ${s.redisDb}, MongoDB ${s.mongoDb}, ES prefix ${s.esPrefix}`,
  );
  await resetStores(s);
  // Only the checkout scenarios run pgbench: the others need not wait for (or fail on) it.
  const script = selected.some((id) => id === "checkout" || id === "hot")
    ? pgbenchScript(await captureCheckout(s.databaseUrl))
    : "";
  const scriptPath = `${BENCH}checkout.pgbench.sql`;
  const previous = await Deno.readTextFile(scriptPath).catch(() => null);
  if (script === "") {
    // nothing to compare
  } else if (previous !== script && s.smoke) {
    log(`${scriptPath} differs from the adapter's SQL: a full run rewrites it`);
  } else if (previous !== script) {
    await Deno.writeTextFile(scriptPath, script);
    log(
      `wrote ${scriptPath}${previous === null ? "" : " (the adapter's SQL changed)"}`,
    );
  }
  await seedStores(s, (m) => log(m));

  let api = await startApi(s);
  const apiBase = `http://127.0.0.1:${s.apiPort}`;
  const scenarios: ScenarioResult[] = [];
  try {
    const { users, adminToken } = await registerUsers(apiBase, s.connections);
    const shippingOptionId = await createBenchShipping(apiBase, adminToken);
    const ctx: Ctx = {
      s,
      api: () => api,
      apiBase,
      users,
      adminToken,
      shippingOptionId,
      pgbenchScript: script,
      async restartApi(extra) {
        await api.stop();
        api = await startApi(s, extra);
      },
    };
    for (const id of selected) {
      log(`scenario ${id}`);
      resetBusyStarts();
      const pidsBefore = await serverPids();
      try {
        const result = await RUNNERS[id](ctx);
        const moved = restarted(pidsBefore, await serverPids());
        scenarios.push({
          ...result,
          notes: [
            ...result.notes,
            ...busyStartsSoFar().map((b) => `interference: ${b}`),
            ...(moved.length > 0
              ? [`interference: ${moved.join(", ")} restarted during this scenario (another user)`]
              : []),
          ],
        });
      } catch (error) {
        log(`  failed: ${error instanceof Error ? error.stack : error}`);
        const [title, baselineTitle] = TITLES[id];
        scenarios.push({
          id,
          title,
          baselineTitle,
          api: null,
          baseline: null,
          ratio: null,
          checks: [],
          figures: {},
          notes: [],
          error: error instanceof Error ? error.message.split("\n")[0] : String(error),
        });
      }
    }
  } finally {
    await api.stop();
  }

  scenarios.sort((a, b) =>
    SCENARIOS.indexOf(a.id as ScenarioId) -
    SCENARIOS.indexOf(b.id as ScenarioId)
  );
  const name = s.smoke
    ? SMOKE_RESULT
    : `results/${resultName(startedAt, sha, s.only ? selected : [])}`;
  const result: BenchResult = {
    date: startedAt.toISOString().slice(0, 10),
    commit: sha,
    dirty,
    ...(s.smoke ? { smoke: true } : {}),
    startedAt: startedAt.toISOString(),
    elapsedS: (performance.now() - t0) / 1000,
    machine: info,
    settings: {
      "duration per side (s)": s.durationS,
      "warm-up per side (s)": s.warmupS,
      connections: s.connections,
      "catalog SKUs": CATALOG_SIZE,
      "visibility samples": s.visibilitySamples,
      "PostgreSQL pool of the API": 10,
      "bench stores":
        `PostgreSQL ${s.databaseName}, Redis db ${s.redisDb}, MongoDB ${s.mongoDb}, ` +
        `ES prefix ${s.esPrefix}`,
    },
    scenarios,
    // A smoke's misses are noise, not findings to explain.
    bounds: s.smoke ? [] : scenarios.flatMap((sc) => boundsFor(sc)),
  };
  await Deno.mkdir(`${BENCH}results`, { recursive: true });
  const jsonPath = `${BENCH}${name}.json`;
  const mdPath = `${BENCH}${name}.md`;
  await Deno.writeTextFile(jsonPath, JSON.stringify(result, null, 2) + "\n");
  await Deno.writeTextFile(mdPath, renderMarkdown(result));
  log(`wrote ${jsonPath} and ${mdPath}`);
  if (updateReadme) {
    const readmePath = `${ROOT}README.md`;
    const readme = await Deno.readTextFile(readmePath);
    await Deno.writeTextFile(
      readmePath,
      replaceReadmeSection(
        readme,
        readmeSection(result, `bench/${name}.md`),
      ),
    );
    // The section's long lines are wrapped as `deno task check` expects.
    await run([Deno.execPath(), "fmt", "--quiet", readmePath]);
    log("updated the Benchmarks section of README.md");
  }
  console.log(summaryTable(scenarios));
  if (!s.smoke) return 0;
  const misses = unjudgedMisses(scenarios);
  if (misses.length > 0) {
    log(`smoke: not judged (targets on a shared machine): ${misses.length} missed`);
    for (const miss of misses) log(`  ${miss}`);
  }
  const failures = smokeFailures(scenarios);
  for (const failure of failures) log(`smoke FAILED: ${failure}`);
  log(
    failures.length === 0
      ? `smoke passed: ${scenarios.length} scenarios ran without errors in ${
        Math.round(result.elapsedS)
      } s`
      : `smoke failed: ${failures.length} problem(s)`,
  );
  return failures.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
