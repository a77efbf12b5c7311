/**
 * Private server processes for the reliability suite: PostgreSQL, Redis, Elasticsearch, the
 * MongoDB wire-protocol server and our own API/worker processes, each on its own port and in
 * its own data directory, so the suite can stop, kill and restart them without touching the
 * shared servers on the default ports (other suites use those).
 *
 * The binaries are the ones `.ci/start_*.sh` installed (Debian's PostgreSQL and Redis, the
 * Elasticsearch zip and the mongo-java-server jars cached under `.ci/cache`); this module only
 * knows how to run more copies of them. Every process it starts is remembered by pid, killed
 * by `killEverything()` (also on SIGINT/SIGTERM), and listed in a pid file so a later run can
 * kill what a crashed run left behind.
 */
//
// The index: every export lives in a file of its own responsibility and is re-exported here,
// so the suites import from this one module.

export { CACHE, delay, freePort, isRunning, REPO, run, shortHash } from "./_process.ts";
export { killEverything, ServerProcess, type Spawn, trackPids } from "./_server_process.ts";
export { PostgresServer } from "./_servers_postgres.ts";
export { RedisServer } from "./_servers_redis.ts";
export { MongoServer } from "./_servers_mongo.ts";
export { type ClusterNode, ElasticsearchServer } from "./_servers_search.ts";
export { AppProcess } from "./_servers_app.ts";
