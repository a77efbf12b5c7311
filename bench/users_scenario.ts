/**
 * The "10,000 users" scenario: that many users each hold one keep-alive connection to the
 * API on the real stack and send about one request every 5 s (about 2,000 req/s in all) for
 * at least 60 s, in the mix browse and product pages 60%, search 20%, cart 15%, order and
 * payment 5%. The load generator is a small Go program (bench/users_load: one goroutine and
 * one raw connection per user, requests due at fixed times, latency measured from when a
 * request was due); both it and the API run with the file-descriptor limit raised to the hard
 * limit. Reports p50/p95/p99 per route, errors, the connections held, and the API's CPU and
 * memory. Target (absolute, the seed's): product and search p99 < 100 ms, no errors.
 * Settings: BENCH_USERS (10,000; smoke 200), BENCH_USERS_DURATION_S (60; smoke 3),
 * BENCH_USERS_PERIOD_MS (5,000; smoke 1,000).
 */
import { type Ctx, log, ROOT, scenario } from "./_harness.ts";
import { withFdLimit } from "./_servers.ts";
import { CATALOG_FIRST_SKU, CATALOG_SIZE } from "./fixtures.ts";
import { spawn } from "./procs.ts";
import { registerShoppers } from "./shoppers.ts";
import { cpuSnapshot, cpuUsage } from "./cpu_accounting.ts";
import type { ScenarioResult } from "./result.ts";
import { SEARCHES } from "./search_scenario.ts";
import { atMost, exactly } from "./stats.ts";

const SOURCE = `${ROOT}bench/users_load`;

export interface UsersShape {
  readonly users: number;
  readonly durationS: number;
  readonly periodMs: number;
}

export function usersShape(env: Record<string, string | undefined>, smoke: boolean): UsersShape {
  const number = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    const value = raw ? Number(raw) : fallback;
    if (!Number.isFinite(value) || value < 1) throw new Error(`${name} must be a number >= 1`);
    return value;
  };
  return {
    users: Math.trunc(number("BENCH_USERS", smoke ? 200 : 10_000)),
    durationS: number("BENCH_USERS_DURATION_S", smoke ? 3 : 60),
    periodMs: number("BENCH_USERS_PERIOD_MS", smoke ? 1_000 : 5_000),
  };
}

/** The generator's spec: the route mix with the bench's own bodies and users. */
export function usersSpec(
  shape: UsersShape,
  addr: string,
  tokens: readonly string[],
  bodies: { cartItem: string; order: string },
  browse: readonly string[],
) {
  return {
    addr,
    users: shape.users,
    periodMs: shape.periodMs,
    // Connections open at about 1,000 a second.
    rampS: Math.max(1, shape.users / 1_000),
    durationS: shape.durationS,
    timeoutS: 30,
    tokens,
    skuLo: CATALOG_FIRST_SKU,
    skuHi: CATALOG_FIRST_SKU + CATALOG_SIZE - 1,
    routes: [
      { name: "GET /products (browse)", weight: 30, method: "GET", paths: browse },
      { name: "GET /products/:sku", weight: 30, method: "GET", paths: ["/products/{sku}"] },
      {
        name: "GET /search",
        weight: 20,
        method: "GET",
        paths: SEARCHES.map((q) => `/search?${q}`),
      },
      {
        name: "POST /cart/items",
        weight: 15,
        method: "POST",
        paths: ["/cart/items"],
        body: bodies.cartItem,
        auth: true,
      },
      {
        name: "POST /orders",
        weight: 5,
        method: "POST",
        paths: ["/orders"],
        body: bodies.order,
        auth: true,
        thenPath: "/payments",
        thenBody: '{"orderId":"{orderId}","provider":"test","paymentToken":"tok_visa"}',
        thenName: "POST /payments",
      },
    ],
  };
}

interface RouteFigures {
  ok: number;
  errors: number;
  errorKinds?: Record<string, number> | null;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

interface UsersReport {
  users: number;
  connected: number;
  connectErrors: number;
  heldAtEnd: number;
  requests: number;
  routes: Record<string, RouteFigures>;
}

/** Failures summed over the routes by kind ("503 overloaded" is shed, "timeout" waited 30 s). */
export function errorKinds(report: Pick<UsersReport, "routes">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const route of Object.values(report.routes)) {
    for (const [kind, n] of Object.entries(route.errorKinds ?? {})) {
      out[kind] = (out[kind] ?? 0) + n;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([, a], [, b]) => b - a));
}

async function procFigures(pid: number): Promise<{ cpuTicks: number; rssKiB: number }> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  return { cpuTicks: Number(fields[11]) + Number(fields[12]), rssKiB: rss };
}

async function build(): Promise<string> {
  const out = `${await Deno.makeTempDir({ prefix: "polycart-users-" })}/users_load`;
  const res = await new Deno.Command("go", {
    args: ["build", "-o", out, "."],
    cwd: SOURCE,
    stdout: "piped",
    stderr: "piped",
  }).output().catch(() => {
    throw new Error("go is not installed: the 10,000 users scenario builds bench/users_load");
  });
  if (!res.success) throw new Error(`go build: ${new TextDecoder().decode(res.stderr)}`);
  return out;
}

export async function usersScenario(
  ctx: Ctx,
  bodies: { cartItem: string; order: string },
  browse: readonly string[],
): Promise<ScenarioResult> {
  const { s } = ctx;
  const shape = usersShape(Deno.env.toObject(), s.smoke);
  // Every product read once, as a shop's catalog is warm: the cold start is not the subject.
  for (let i = 0; i < CATALOG_SIZE; i++) {
    const res = await fetch(`${ctx.apiBase}/products/${CATALOG_FIRST_SKU + i}`);
    await res.body?.cancel();
  }
  const binary = await build();
  const dir = binary.slice(0, binary.lastIndexOf("/"));
  try {
    const seeding = performance.now();
    const tokens = await registerShoppers(s, shape.users);
    log(
      `  registered ${tokens.length} shoppers in ${
        ((performance.now() - seeding) / 1000).toFixed(1)
      } s`,
    );
    const spec = usersSpec(shape, `127.0.0.1:${s.apiPort}`, tokens, bodies, browse);
    await Deno.writeTextFile(`${dir}/spec.json`, JSON.stringify(spec));
    const api = ctx.api();
    let apiExit: Deno.CommandStatus | null = null;
    api.status.then((status) => (apiExit = status));
    const before = await procFigures(api.pid);
    const roles = new Map([[api.pid, "server under test"]]);
    const machineBefore = await cpuSnapshot(roles);
    let peakRss = before.rssKiB;
    const started = performance.now();
    const proc = spawn("users load", withFdLimit([binary, `${dir}/spec.json`]), {
      cpu: s.loadCpu,
      stdout: "piped",
    });
    roles.set(proc.pid, "load tool");
    const out = new Response(proc.stdout!).text();
    let running = true;
    // The load tool's ticks vanish from /proc when it exits: the last snapshot taken while it
    // ran (at most a second before its end) is what the machine's CPU is read from.
    let machineLast = machineBefore;
    const sampler = (async () => {
      while (running && apiExit === null) {
        peakRss = Math.max(peakRss, (await procFigures(api.pid)).rssKiB);
        machineLast = await cpuSnapshot(roles);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();
    const status = await proc.status;
    running = false;
    await sampler;
    if (apiExit !== null) {
      throw new Error(`the API exited during the run (${JSON.stringify(apiExit)}):\n${api.tail()}`);
    }
    const after = await procFigures(api.pid);
    const machine = cpuUsage(machineBefore, machineLast);
    const elapsedS = (performance.now() - started) / 1000;
    const text = await out;
    const line = text.split("\n").find((l) => l.startsWith("USERS_JSON "));
    if (!status.success || !line) {
      throw new Error(`users load failed (${status.code}):\n${text}\n${proc.tail()}`);
    }
    const report = JSON.parse(line.slice("USERS_JSON ".length)) as UsersReport;
    const ticks = 100; // USER_HZ
    const cpuPct = ((after.cpuTicks - before.cpuTicks) / ticks) / elapsedS * 100;
    const errors = Object.values(report.routes).reduce((n, r) => n + r.errors, 0) +
      report.connectErrors;
    const ok = Object.values(report.routes).reduce((n, r) => n + r.ok, 0);
    const p99 = (route: string) => report.routes[route]?.p99 ?? Infinity;
    log(
      `  ${report.connected}/${report.users} connected, ${ok} answers, ${errors} errors, ` +
        `product p99 ${p99("GET /products/:sku").toFixed(1)} ms, search p99 ${
          p99("GET /search").toFixed(1)
        } ms`,
    );
    const ms = (v: number) => v.toFixed(1);
    // The title counts the users this run held (the smoke holds fewer).
    return {
      ...scenario(
        "users",
        null,
        null,
        [
          atMost("product p99", p99("GET /products/:sku"), 100, "ms"),
          atMost("search p99", p99("GET /search"), 100, "ms"),
          exactly("connections held to the end", report.heldAtEnd, report.users),
          {
            name: "users errors",
            target: "= 0",
            actual: String(errors),
            pass: errors === 0,
          },
        ],
        {
          ...Object.fromEntries(
            Object.entries(report.routes).sort(([a], [b]) => a < b ? -1 : 1).map((
              [route, r],
            ) => [
              route,
              `${r.ok} ok, ${r.errors} errors${
                r.errorKinds ? ` ${JSON.stringify(r.errorKinds)}` : ""
              }; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)} ms`,
            ]),
          ),
          "errors by kind (all routes)": JSON.stringify(errorKinds(report)),
          "users, connected, held at the end":
            `${report.users}, ${report.connected}, ${report.heldAtEnd}`,
          "requests per second (answered)": Math.round(ok / shape.durationS),
          "API CPU, % of one core (whole run, ramp included)": Math.round(cpuPct),
          // What the two cores were busy with: the API is one of several claimants.
          "CPU, % of one core (whole run, ramp included)": Object.entries(machine)
            .map(([group, percent]) => `${group} ${percent}%`).join(", "),
          "API CPU per answered request, µs": Math.round(
            (after.cpuTicks - before.cpuTicks) / ticks * 1e6 / Math.max(1, ok),
          ),
          "API memory (RSS) MiB: before / peak / after": `${Math.round(before.rssKiB / 1024)} / ${
            Math.round(peakRss / 1024)
          } / ${Math.round(after.rssKiB / 1024)}`,
          "think time per user, ms": shape.periodMs,
          "measured seconds": shape.durationS,
        },
        [
          "One Go process holds every connection (one goroutine each, raw HTTP/1.1 keep-alive); " +
          "each user's requests are due at fixed times and latency counts from when a request " +
          "was due. The orders route pays each order it creates with the test provider.",
          "Each user is its own shopper account with its own session (registered for the run), " +
          "so carts stay a shopper's size and the signed-in routes read their session and claim " +
          "their rate limit as a crowd's would. Until 2026-12-02 the users shared the run's 10 " +
          "accounts: their carts grew to hundreds of lines within a run, and every cart request " +
          "paid for them.",
        ],
      ),
      title: `${shape.users.toLocaleString("en-US")} users on keep-alive connections`,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
