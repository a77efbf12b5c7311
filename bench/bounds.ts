/**
 * What bounds a missed target: the CPU figures of the run (measured) and what profiling
 * found (written down here when it was done, so every results file carries it).
 */
import { type ScenarioResult, serverCpuPerOp, type Side } from "./report.ts";

/**
 * Findings from profiling the API under each scenario's load on the 2-core bench machine
 * (`deno run --cpu-prof`, `perf record`, and API CPU time per request from /proc while wrk
 * ran the route alone). Kept here so every results file carries them.
 */
export const PROFILE_NOTES: Readonly<Record<string, string>> = {
  hello: "Both servers and wrk sit near 100% of their cores at ~100k req/s: the measurement is " +
    "at the edge of one load core, and the two routes differ by less than the run-to-run noise.",
  product: "Profile: a cached read costs the API 110-200 µs of CPU with the limiter and " +
    "80-95 µs without it (more when other processes share its core); the Hono hello route " +
    "costs ~10 µs. The two Redis round trips (limiter, cache lookup) dominate: ioredis " +
    "command building and Deno's node:net write path (writeUtf8String alone is 16% of " +
    "samples), ioredis' per-command timeout timers (an EVALSHA costs 19 µs of client CPU " +
    "without commandTimeout, 28 µs with it), and the kernel's loopback TCP (a sequential Redis " +
    "round trip costs ~57 µs of CPU even from a raw Deno.connect on this VM). The route, the " +
    "zod check of the cached view and the JSON are under 15% of samples. When one Redis round " +
    "trip costs more CPU than a whole hello request, 0.5 of a ~100k req/s hello route is out " +
    "of reach on one core: the ratio is bounded by the baseline doing no I/O. ioredis " +
    "auto-pipelining (one write for the commands of concurrent requests) was tried and " +
    "measured no gain at 10 connections, so it is off.",
  cart: "Profile: ~550-700 µs of API CPU per add, spent on 5 sequential round trips (the " +
    "bearer token's session and user in one PostgreSQL read, the limiter's EVALSHA, the cart " +
    "read, one inventory read serving both the availability check and the reply, the MULTI); " +
    "there were 7 (session and user read apart, inventory read twice) at 800-900 µs. The " +
    "rest is socket I/O through Deno's node compatibility layer (postgres.js, ioredis) and " +
    "the kernel's loopback TCP, not our code; the route, zod and JSON are a small share.",
  checkout: "Profile: 900-1,100 µs of API CPU per order for 7 round trips (the bearer token's " +
    "session and user in one read, the limiter's EVALSHA, then BEGIN, SELECT ... FOR UPDATE, " +
    "the two pipelined writes, COMMIT) against pgbench's 4; the adapter alone, called in a " +
    "loop without HTTP, places ~1,100-1,300 orders/s at 10 concurrent callers, half its " +
    "samples in the socket send path. PostgreSQL waits on the client (sampled " +
    "pg_stat_activity: mostly idle or idle in transaction), so the client's per-query CPU, " +
    "not locks or the server, bounds it. Sending BEGIN with the locking SELECT and COMMIT " +
    "with the writes (2 round trips instead of 4) was tried: the gain stayed within the run " +
    "to run noise (±15%), so the simpler transaction was kept. The p99 tail follows the CPU " +
    "saturation of the 2 cores the API, PostgreSQL, Redis and wrk share.",
  hot: "One row lock serializes both sides; the API adds its per-request CPU (see checkout) " +
    "while the lock is held by someone else, so the ratio is closer to 1 than over 1,000 SKUs.",
  search: "Elasticsearch's own time dominates: a query takes 20-50 ms of `took` on 1,003 " +
    "documents even alone, and its profile shows ~28 of 32 ms in query rewrite, building " +
    "Levenshtein automata for AUTO fuzziness on five fields per term (plus fast-vector " +
    "highlighting and the term suggester). At 10 connections Elasticsearch saturates both " +
    "cores and the API's process competes with it for them, so the API's p50 queues behind " +
    "ES. With one connection, timed one request at a time, the API answers as fast as the " +
    "same query sent straight to Elasticsearch (26.2 against 25.7-26.6 ms p50); under wrk it " +
    "lands 1-2 ms above `took` + 5 ms in some runs. Cheaper fuzziness (prefix_length, " +
    "fewer fuzzy fields) is a relevance decision for the search owners, not a bench fix.",
  ratelimit: "The limiter is one more EVALSHA on a route whose whole work is one EVALSHA: " +
    "it costs 35-100 µs of API CPU per request (depending on how busy the machine is) against " +
    "80-95 µs for the rest of the route (see GET /products/:sku for what a Redis round trip " +
    "costs here), so the ratio lands between 0.5 and 0.9 from run to run on this VM. Its Lua " +
    "work runs in Redis (ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE, ZRANGE on ~1 s of hits). " +
    "Running it alongside the handler would save the round trip but do the route's work for " +
    "requests it then refuses, which is what a limiter is there to prevent.",
  visibility: "The path is PATCH -> MongoDB -> change stream (mongo-java-server, polled every " +
    "50 ms) -> the worker's pass -> Elasticsearch write -> the next 1 s refresh.",
};

/** One sentence per scenario for the README; the results file has the long form. */
export const SHORT_NOTES: Readonly<Record<string, string>> = {
  hello: "at ~100k req/s both servers and wrk are near 100% of their cores; the gap is " +
    "within run-to-run noise.",
  product: "every Redis round trip costs the API more CPU (20-60 µs through ioredis and " +
    "Deno's node:net on this VM) than a whole hello request (~10 µs), and this route makes " +
    "two (cache and limiter).",
  cart: "5 sequential round trips to PostgreSQL and Redis (550-700 µs of API CPU per add, " +
    "mostly socket I/O in Deno's runtime and the kernel) against a route that does none.",
  checkout: "7 round trips (token lookup 1, limiter 1, transaction 4) against pgbench's 4, " +
    "on 2 cores shared with PostgreSQL: the client's per-query CPU in Deno bounds it.",
  hot: "as over 1,000 SKUs, serialized on one row lock.",
  search: "at 10 connections Elasticsearch saturates both cores (fuzzy query rewrite is " +
    "~28 of its 32 ms), so the API's p50 queues for the CPU; with one connection it lands " +
    "within 1-2 ms of `took` + 5 ms (ES's own HTTP round trip is ~2 ms of that).",
  ratelimit: "the limiter's EVALSHA is a second Redis round trip on a route whose work is " +
    "one; the ratio swings between 0.5 and 0.9 from run to run.",
  visibility: "the change stream poll, the worker's pass and the 1 s refresh.",
};

function cpuLine(name: string, side: Side | null): string | null {
  if (!side || Object.keys(side.cpu).length === 0) return null;
  const parts = Object.entries(side.cpu).map(([group, pct]) => `${group} ${pct}%`);
  return `${name}: ${parts.join(", ")}`;
}

/** Entries for the results file when a check of `s` missed; none when all passed. */
export function boundsFor(
  s: ScenarioResult,
): { scenario: string; text: string; short: string }[] {
  const missed = s.checks.filter((c) => !c.pass);
  if (missed.length === 0 && !s.error) return [];
  const cpu = [cpuLine("API side", s.api), cpuLine("baseline side", s.baseline)]
    .filter((l): l is string => l !== null);
  const perOp = s.api ? serverCpuPerOp(s.api) : null;
  const interference = s.notes.filter((n) => n.startsWith("interference:"));
  const text = [
    s.error
      ? `not run: ${s.error}.`
      : `missed ${missed.map((c) => `${c.name} (${c.actual}, wanted ${c.target})`).join("; ")}.`,
    ...(cpu.length > 0 ? [`CPU, % of one core: ${cpu.join("; ")}.`] : []),
    ...(perOp !== null ? [`The API spent ${perOp.toFixed(0)} µs of CPU per request.`] : []),
    ...(interference.length > 0 ? [`Disturbed: ${interference.join("; ")}.`] : []),
    ...(PROFILE_NOTES[s.id] ? [PROFILE_NOTES[s.id]] : []),
  ].join(" ");
  const short = s.error ? `not run: ${s.error}` : SHORT_NOTES[s.id] ?? "see the results file";
  return [{ scenario: s.title, text, short }];
}
