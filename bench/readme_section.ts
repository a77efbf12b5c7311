/**
 * The README's "Benchmarks" section: what each scenario measures, the latest result, and
 * putting the section into README.md (`deno task bench --readme`). Pure: `report_test.ts`
 * covers it.
 */
import { summaryTable } from "./report.ts";
import type { BenchResult } from "./result.ts";

/** What each scenario measures against what (README; kept when `--readme` rewrites it). */
export const SCENARIO_GUIDE: readonly string[] = [
  "| scenario (`BENCH_ONLY` id) | API side | baseline in the same run | target |",
  "|---|---|---|---|",
  "| `hello` | Hono JSON route | bare `Deno.serve`, same bytes | >= 0.85x |",
  "| `product` | `GET /products/:sku`, cache hit (in-process cache, 1 s bound, then Redis) | " +
  "bare `Deno.serve` answering the API's own bytes with one ioredis `GET` " +
  "(bench/baseline_server.ts `redis-get`) | >= 0.8x |",
  "| `browse` | `GET /products?category=&sort=` (pages are not cached) | bare `Deno.serve` " +
  "running the catalog adapter's `find` and count with the MongoDB driver (`mongo-find`) | " +
  ">= 0.7x |",
  "| `cart` | `POST /cart/items`, signed in | bare `Deno.serve` sending the same Redis and " +
  "PostgreSQL commands through the same adapters (`cart-commands`) | >= 0.6x |",
  "| `search` | `GET /search` with facets, typo tolerance (exact query first, corrections " +
  "only when it finds nothing) | Elasticsearch: plain `multi_match` on the same fields; also " +
  "the adapter's own requests replayed | >= 0.5x; >= 0.9x of the adapter's requests |",
  "| `visibility` | catalog change -> visible in `GET /search` | (absolute) | p95 <= refresh + " +
  "250 ms |",
  "| `checkout` | `POST /orders` over 1,000 SKUs | pgbench running " +
  "`bench/checkout.pgbench.sql` (the adapter's statements) | >= 0.6x |",
  "| `hot` | `POST /orders` on one SKU | pgbench, same statements, one SKU | >= 0.7x, zero " +
  "oversell |",
  "| `users` | 10,000 users, one keep-alive connection each, ~1 request / 5 s, mix browse + " +
  "product 60%, search 20%, cart 15%, order + payment 5%, >= 60 s (Go generator " +
  "bench/users_load, fd limit raised to the hard limit) | (absolute) | product and search " +
  "p99 < 100 ms, 0 errors |",
  "| `ratelimit` | `GET /products/:sku` with the limiter | same route, " +
  "`RATE_LIMIT_ENABLED=0` | >= 0.9x |",
  "",
  "Run one: `BENCH_ONLY=users deno task bench` (`BENCH_USERS`, " +
  "`BENCH_USERS_DURATION_S`, `BENCH_USERS_PERIOD_MS` shape the users scenario; the " +
  "smoke runs 200 users for 3 s). The users scenario needs Go (`go build` of " +
  "bench/users_load at the start of the scenario). `BENCH_API_LOG=<file>` keeps the " +
  "API's whole log (the error report holds only its last lines).",
  "",
  "**10,000 users, full mix** (issue 13; " +
  "[bench/results/2026-12-01-1244-0bdc370-only-users.md](bench/results/2026-12-01-1244-0bdc370-only-users.md), " +
  "60 s after a 10 s ramp, 2,000 requests/s due, 2 cores shared with other work at load " +
  "average 5-7): with the default `MAX_REQUESTS_IN_FLIGHT=256` the API stayed up (RSS " +
  "225 MB before, 713 MB at the peak, 55% of one core) and held all 10,000 connections; " +
  "27,553 answers (459/s) and 93,935 errors, every one a 503 `overloaded` shed before " +
  "any round trip (no timeout, no 500, no other 503).",
  "",
  "| route (admitted requests) | ok | shed (503 `overloaded`) | p50 ms | p95 ms | p99 ms | max ms |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  "| `GET /products` (browse) | 7,998 | 28,130 | 449 | 1,031 | 1,386 | 2,453 |",
  "| `GET /products/:sku` | 7,920 | 28,033 | 155 | 505 | 731 | 1,598 |",
  "| `GET /search` | 5,310 | 18,728 | 171 | 471 | 670 | 1,976 |",
  "| `POST /cart/items` | 4,038 | 14,119 | 1,634 | 2,661 | 3,062 | 4,431 |",
  "| `POST /orders` | 1,367 | 4,478 | 1,980 | 2,692 | 2,895 | 3,154 |",
  "| `POST /payments` (of those) | 920 | 447 | 2,046 | 2,920 | 3,187 | 3,405 |",
  "",
  "Before admission control and these fixes (same machine, same day): 1,424 answers/s, " +
  "34,928 errors (timeouts of 30 s on every route but search, 2,776 carts 503 as Redis " +
  "replies passed the 1 s command timeout), product p99 158 s, RSS 3.6 GB; in two of " +
  "three earlier runs the API exited with code 1. Two causes, each an error no `await` " +
  "caught (which ends a Deno process): (1) under that load postgres.js pipelines a " +
  "`BEGIN` onto a busy pooled connection, and when it was the query that filled the " +
  "connection's pipeline the driver skipped reserving the connection, so the " +
  "transaction stayed open on a pooled connection (other requests' statements ran " +
  "inside it) and `begin()` ran on no connection, a `TypeError` (reproduced by " +
  "`adapters/postgres/driver_transaction_test.ts`; `vendor/postgres` now reserves it, " +
  "see its PATCHED.md); (2) clients whose requests timed out reconnect while the API " +
  "still holds their old sockets, the process reaches its file limit (20,000 here), and " +
  "`Deno.serve`'s accept loop ends with EMFILE, rejecting its `finished` promise (seen " +
  "in a run without admission control: caught, the API kept serving old connections but " +
  "refused new ones, 10,798 socket errors). The API now starts its listener again when " +
  "it dies (`listener.ts`), and the API and worker log any stray rejection or uncaught " +
  "error (one line a second with a count) and stay up. " +
  "What bounds the figures: the API's core is shared with " +
  "PostgreSQL, Redis, Elasticsearch and other processes (the API got 37-55% of it), " +
  "shed requests still cost a parse and an answer, and a cart or order request holds " +
  "its slot for 5-7 round trips on a pool of 10, so admitted reads queue behind slow " +
  "writes. The limit trades latency for goodput: 1,024 made every latency worse (p99 " +
  "~32 s, Redis timeouts again), 128 changed little (p99 0.85 s for products, 305 " +
  "answers/s). Next steps: a process per core, and a limit per route class so slow " +
  "writes cannot take the slots of fast reads. The target (product and search p99 < 100 " +
  "ms, 0 errors) is not met on this machine.",
];

/** The README's "Benchmarks" section for a result stored at `path` (relative to the repo). */
export function readmeSection(result: BenchResult, path: string): string {
  const m = result.machine;
  const passed = result.scenarios.filter((s) => !s.error && s.checks.every((c) => c.pass))
    .length;
  return [
    "## Benchmarks",
    "",
    "`deno task bench` runs every scenario of issue 5 against the real servers (their URLs in " +
    "the environment, as for the tests) and, in the same run with the same load tool, client " +
    "count and duration, a baseline doing the same work without the API: wrk for HTTP, " +
    "pgbench running the statements `PostgresOrderStore.place` sends (captured from the " +
    "adapter into `bench/checkout.pgbench.sql`). It writes " +
    "`bench/results/<date>-<HHMM>-<commit>.{json,md}` (`-only-<ids>` for some scenarios) " +
    "with the commit it measured (and whether the worktree had uncommitted changes), the " +
    "machine, every version, CPU use per process and what bounds each miss. The full run is " +
    "not part of CI (5-10 minutes, and noisy). It " +
    "resets and uses its own PostgreSQL database, MongoDB database, Elasticsearch prefix and " +
    "Redis database, and needs `wrk`, `pgbench`, `redis-cli` and `taskset` (Debian packages " +
    "`wrk`, `postgresql` (Debian 12 ships pgbench with the server), `redis-tools`, " +
    "`util-linux`; `.ci/install_bench_tools.sh` installs the missing ones). It waits for a " +
    "quiet machine before each side, " +
    "measures a side again when other processes took CPU meanwhile, and notes the " +
    "interference it could not avoid. Shorter: `BENCH_DURATION_S=3 BENCH_WARMUP_S=1 deno " +
    "task bench`; some scenarios: `BENCH_ONLY=hello,search`; `deno task bench --readme` " +
    "rewrites this section. `RATE_LIMIT_ENABLED=0` (default 1) switches the general limiter " +
    "off; the bench uses it for the limiter's baseline.",
    "",
    "CI keeps the bench from rotting with `deno task bench:smoke`: `.ci/run` runs it after " +
    "`deno task test:reliability`, once `.ci/install_bench_tools.sh` has installed what is " +
    "missing. It runs every scenario, the API and every baseline, for 2 s a side with no " +
    "warm-up and no waiting for a quiet machine (60-100 s in all on 2 shared cores, start-ups included), " +
    "on stores and ports of its own (PostgreSQL `polycart_bench_smoke`, Redis db 10, MongoDB " +
    "and Elasticsearch prefix `bench_smoke`, ports 18090-18091), so it never resets a full " +
    "run's data. It fails (exit 1) only when a scenario cannot run (a tool missing, the API or " +
    "the sync worker not starting, the adapter's checkout SQL no longer capturable for " +
    "pgbench, a fixture refused) or answers errors: a non-2xx answer, socket error or timeout " +
    "on any side, a failed pgbench transaction, the hot SKU's drain probe answering other than " +
    "201 or 409. Ratios, latencies and the other targets are printed as not judged: on a " +
    "shared machine they are noise. It writes only `bench/results/smoke.{json,md}` " +
    "(git-ignored) and never this section; the `BENCH_*` settings apply to it too.",
    "",
    ...SCENARIO_GUIDE,
    "",
    `Latest: [${path}](${path}), commit ${result.commit}, ${m.cores} cores (${m.cpuModel}), ` +
    `${m.pinning}. ${passed} of ${result.scenarios.length} scenarios meet every target.`,
    "",
    summaryTable(result.scenarios),
    "",
    ...(result.bounds.length > 0
      ? [
        "What bounds the misses (details and profiles in the results file):",
        "",
        ...result.bounds.map((b) => `- **${b.scenario}**: ${b.short ?? b.text}`),
        "",
      ]
      : []),
  ].join("\n");
}

/**
 * Puts `section` (starting with `## Benchmarks`) into the README: replaces an existing
 * Benchmarks section up to the next `## ` heading, or inserts it before `## Tests`.
 */
export function replaceReadmeSection(readme: string, section: string): string {
  const body = section.trimEnd() + "\n\n";
  const start = readme.search(/^## Benchmarks[ \t]*$/m);
  if (start >= 0) {
    const rest = readme.slice(start + 1);
    const next = rest.search(/^## /m);
    const end = next < 0 ? readme.length : start + 1 + next;
    return readme.slice(0, start) + body + readme.slice(end);
  }
  const tests = readme.search(/^## Tests[ \t]*$/m);
  if (tests < 0) {
    throw new Error('README.md has no "## Tests" heading to insert before');
  }
  return readme.slice(0, tests) + body + readme.slice(tests);
}
