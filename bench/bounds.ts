/**
 * What bounds a missed target: the CPU figures of the run (measured) and what profiling
 * found (written down here when it was done, so every results file carries it).
 */
import { type ScenarioResult, serverCpuPerOp, type Side } from "./result.ts";

/**
 * Findings from profiling the API under each scenario's load on the 2-core bench machine
 * (`deno run --cpu-prof`, `perf record`, and API CPU time per request from /proc while wrk
 * ran the route alone). Kept here so every results file carries them.
 */
export const PROFILE_NOTES: Readonly<Record<string, string>> = {
  hello: "Both servers and wrk sit near 100% of their cores at ~100k req/s: the measurement is " +
    "at the edge of one load core, and the two routes differ by less than the run-to-run noise.",
  product: "Profiled at 2026-12-01 evening (V8 sampling profiler over the inspector, wrk on the " +
    "other core). The route makes no round trip for a hot product (in-process cache), its JSON " +
    "is serialized once per cached view, and the limiter asks Redis about once per 60 " +
    "requests (local allowance). What is left is the framework's and runtime's per-request " +
    "work, which the baseline does not do: Hono's router (trie search ~7% of samples), the " +
    "middleware chain (request id, client address, bearer token, limiter, body limit, zod " +
    "parameter guard ~15%), building the Response and its 6 extra headers (~8%), and " +
    "Deno's HTTP write; about 50 µs of CPU per request against the baseline's ~25 µs",
  cart: "Profile (before the session cache): ~550-700 µs of API CPU per add, spent on 5 " +
    "sequential round trips (the bearer token's session and user in one PostgreSQL read, the " +
    "limiter's EVALSHA, the cart read, one inventory read serving both the availability " +
    "check and the reply, the MULTI). Now the session and user are answered in-process " +
    "(SESSION_NEAR_CACHE_MS) and the limiter claims batches, leaving 3 (cart read, inventory " +
    "read, MULTI); the baseline sends the same commands through the same adapters, so it " +
    "skips the session read too. The rest is socket I/O through Deno's node compatibility " +
    "layer (postgres.js, ioredis) and the kernel's loopback TCP, not our code; the route, " +
    "zod and JSON are a small share.",
  checkout: "Profiled 2026-12-01 late (V8 sampling profiler over the inspector, wrk on the " +
    "other core). 5 round trips per order: the shipping option with its zone beside the " +
    "country's tax rates; BEGIN; the five locking reads, pipelined; every write (inventory, " +
    "stock rows, order and items, allocations, outbox) in one statement; COMMIT. The bearer " +
    "token's session and user are answered in-process (SESSION_NEAR_CACHE_MS). pgbench makes " +
    "8 (it sends the reads one by one), each costing it microseconds; for the API " +
    "postgres.js's protocol work and Deno's node:net socket path are about half of the " +
    "samples (writeBuffer alone ~7%): ~1.5 ms of API CPU per order at 10 connections, from " +
    "~2.6 ms with 8 round trips and 5 write statements, on a core shared with PostgreSQL. " +
    "Each side starts with no pending orders (the cap check counts them) and each " +
    "connection is one customer, as each pgbench client is. Not done: a stored function " +
    "(one round trip) would move the allocation rules into SQL; sending BEGIN with the reads " +
    "needs postgres.js's reserve(), whose release after a dropped connection breaks the pool " +
    "(porsager/postgres#1199)",
  hot: "One row lock serializes both sides; the API adds its per-request CPU (see checkout) " +
    "while the lock is held by someone else, so the ratio is closer to 1 than over 1,000 SKUs.",
  search: "Issue 13 measured the old all-fuzzy body at 36 ms of `took` per query on the bench " +
    "index (AUTO fuzziness on five fields, fuzzy highlight query, term suggester with no " +
    "prefix) against 1-2 ms for a plain multi_match. The adapter now sends the words as " +
    "typed and corrects unknown words only when that finds nothing. Re-measured 2026-12-01 " +
    "late on an idle Elasticsearch, one client, interleaved, by removing each part: our body " +
    "~4.7 ms of `took`, of which fast-vector highlighting of name and description ~2 ms, the " +
    "facets ~1 ms and the sort, filters and tombstone clause ~1 ms, against ~0.7 ms for a " +
    "plain multi_match. Highlighting only the name, one description fragment, a " +
    "highlight_query on the two fields, the plain and the unified highlighters measured no " +
    "cheaper (unified dearer), and splitting the facets into a cacheable size-0 request " +
    "through _msearch was slower still. Until this stop the bench repeated six queries, and " +
    "the API's sharing of identical searches in flight made it look faster than " +
    "Elasticsearch given its own bodies (ratio 0.42-0.58 'passed'); each request now draws " +
    "its page size, so that sharing rarely applies and the ratio shows the body's cost. " +
    "2026-12-02: Elasticsearch's CPU per request (from /proc, wrk on the other core, 10 s " +
    "each): our body ~5 ms against ~1.3 ms for the plain multi_match; without highlighting " +
    "~2.3 ms, without facets ~3.1 ms. The did-you-mean suggester (~0.5 ms, interleaved A/B) " +
    "is now asked only when the words as typed find nothing. The API's own CPU per search " +
    "went from ~2 ms to ~1 ms: a valid query string built a ZodError and a " +
    "ValidationFailed (two stack captures) on every request, and the rest is spread over " +
    "the Elasticsearch client and its socket path (~30% of the samples), Hono and zod.",
  ratelimit: "With the local allowance (RATE_LIMIT_BATCH_MAX, 64) the limiter claims a batch of " +
    "hits per Redis round trip (0.01-0.02 EVALSHA per request at this rate) and spends it " +
    "in memory; what is left is the middleware itself and the three RateLimit-* headers on " +
    "every response (Deno's header validation and the native header list: ~10% of the " +
    "route's samples). Before the allowance the ratio was 0.59-0.61 (one EVALSHA per request)",
  browse: "The API also reads the page's stock from PostgreSQL (one query for 20 products) and " +
    "maps each product to its view; identical pages share one load in flight and, within " +
    "READ_REUSE_MS (200 ms), reuse the answer",
  users: "Re-measured 2026-12-02 with one shopper account and session per user: until then " +
    "the users shared the run's 10 accounts, whose carts grew to hundreds of lines within a " +
    "run, so every cart request paid for them (about 500 answers/s in a full run, 1,300 " +
    "alone). Now about 1,800 of the 2,000 answers/s due; reads p50 45-77 ms, p99 240-460 " +
    "ms; writes p50 220-310 ms and about 40% of them shed by MAX_WRITES_IN_FLIGHT (64), every " +
    "error a 503 overloaded. The machine is not saturated (125-143% of its 200%), but the " +
    "API is one process: pinned to core 0, it got 56-68% of that core, the rest going to the " +
    "database servers the kernel ran there, and a read waits behind the requests queued on " +
    "its one thread. A PostgreSQL pool of 20 instead of 10 changed nothing beyond noise. " +
    "Next: a process per core. Deno.serve's reusePort (several processes on one port) still " +
    "needs --unstable-net in Deno 2.9, and `deno serve --parallel` needs the entry point " +
    "restructured (a default export, duties and shutdown per worker). " +
    "Earlier (10 shared accounts): with the limiter's local allowance, the serialized " +
    "product bodies and READ_REUSE_MS, ~430-510 answers/s of the 2,000 due; with writes " +
    "limited to 64 of the 256 slots (MAX_WRITES_IN_FLIGHT) ~800/s, reads answered twice as " +
    "often, every error still a 503 overloaded. The API then used 60-70% of a core: the 2 " +
    "cores run it, PostgreSQL, Redis, Elasticsearch, MongoDB and the load generator holding " +
    "10,000 sockets, and latency is counted from when each request was due, so time queued " +
    "anywhere on the machine counts. A first run of the allowance made things worse (reads " +
    "p50 0.8 s): hits that waited for the anonymous key's claim each claimed again in turn; " +
    "fixed (claims sized to the hits waiting). Earlier, measured during issue 13 on 2 cores shared with other work (load average 5-7). " +
    "Without admission control the API answered ~1,400-1,665 req/s of the 2,000 due, the " +
    "rest queued without bound: p99 ~157 s, 34,928 errors (timeouts; carts 503 as Redis " +
    "replies passed the 1 s command timeout), memory 3.6 GB, and it could exit with code 1 " +
    "from two errors no await caught: postgres.js pipelined a BEGIN as the query that filled " +
    "a connection's pipeline, skipped reserving the connection and ran begin() on none (a " +
    "TypeError; patched in vendor/postgres), and Deno.serve's accept loop died with EMFILE " +
    "once reconnecting clients took the process to its file limit (the listener now starts " +
    "again; stray errors are logged and the process stays up). With MAX_REQUESTS_IN_FLIGHT=256 " +
    "(the default) the API stays up at ~700 MB, nothing times out, every error is a 503 " +
    "overloaded shed before any round trip, admitted reads wait 0.15-0.45 s (p50) and writes 1.6-2 s: " +
    "the API's core is shared with PostgreSQL, Redis, Elasticsearch and other processes " +
    "(it got 37-55% of it), and cart and order requests hold their slot through 5-7 round " +
    "trips on a pool of 10. 1,024 in flight made every latency worse (p99 ~32 s) and 128 " +
    "changed little. Next: a process per core, and a limit per route class so slow writes " +
    "cannot take the slots of fast reads.",
  visibility: "The path is PATCH -> MongoDB -> change stream (mongo-java-server, polled every " +
    "50 ms) -> the worker's pass -> Elasticsearch write -> the next 1 s refresh.",
};

/** One sentence per scenario for the README; the results file has the long form. */
export const SHORT_NOTES: Readonly<Record<string, string>> = {
  hello: "at ~100k req/s both servers and wrk are near 100% of their cores; the gap is " +
    "within run-to-run noise.",
  product: "no round trip is left; Hono's routing, the middleware chain and building the " +
    "Response cost ~50 µs of CPU per request against the bare server's ~25 µs",
  cart: "3 sequential round trips to Redis and PostgreSQL (cart read, inventory read, MULTI), " +
    "mostly socket I/O in Deno's runtime and the kernel, against a route that does none.",
  checkout: "5 round trips per order (delivery terms, BEGIN, the locking reads, one write " +
    "statement, COMMIT); postgres.js and Deno's node:net are about half of the API's ~1.5 ms " +
    "of CPU per order, on a core shared with PostgreSQL",
  hot: "as over 1,000 SKUs, serialized on one row lock.",
  search: "Elasticsearch's own cost of our body, ~5 ms of its CPU against ~1.3 ms for a " +
    "plain multi_match: highlighting ~2.8 ms, facets ~2 ms.",
  ratelimit: "the limiter claims hits in batches (0.01-0.02 EVALSHA per request); the middleware " +
    "and three RateLimit-* headers per response remain",
  browse: "one PostgreSQL stock read per page on top of the MongoDB query.",
  users: "one API process on one core, which it shares with the database servers: ~1,800 " +
    "of 2,000 answers/s, the rest shed as 503 overloaded at once (writes limited to 64 in " +
    "flight so they cannot take the reads' slots); nothing times out and the API stays up.",
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
