import assert from "node:assert/strict";
import { classify, type CpuSnapshot, cpuUsage, restarted, statTicks } from "./cpu_accounting.ts";

Deno.test("statTicks() reads utime + stime, whatever the command name holds", () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i));
  fields[11] = "150"; // utime (field 14)
  fields[12] = "50"; // stime (field 15)
  const stat = `1234 (tokio (rt) worker) S ${fields.slice(1).join(" ")}`;
  assert.deepEqual(statTicks(stat), { comm: "tokio (rt) worker", ticks: 200 });
});

Deno.test("classify() groups processes by role, then by server", () => {
  const roles = new Map([[10, "server under test"]]);
  assert.equal(classify(10, "deno", "deno run main.ts", roles), "server under test");
  assert.equal(classify(11, "postgres", "postgres: 15/main: polycart", roles), "postgres");
  assert.equal(classify(12, "redis-server", "redis-server 127.0.0.1:6379", roles), "redis");
  assert.equal(
    classify(
      13,
      "java",
      "/usr/bin/java -cp lib/* org.elasticsearch.bootstrap.Elasticsearch",
      roles,
    ),
    "elasticsearch",
  );
  assert.equal(classify(14, "java", "java -cp mongo-java-server/* Launcher.java", roles), "mongo");
  assert.equal(classify(15, "bash", "bash", roles), "other");
});

Deno.test("cpuUsage() is percent of one core per group, plus the whole machine", () => {
  const before: CpuSnapshot = {
    at: 0,
    procs: new Map([[1, ["server under test", 100]], [2, ["postgres", 0]]]),
    busy: 1_000,
    total: 4_000,
  };
  const after: CpuSnapshot = {
    at: 2_000, // two seconds later, 100 ticks per second
    procs: new Map([
      [1, ["server under test", 290]],
      [2, ["postgres", 50]],
      [3, ["postgres", 10]], // started meanwhile
    ]),
    busy: 1_300,
    total: 4_400,
  };
  const usage = cpuUsage(before, after);
  assert.equal(usage["server under test"], 95);
  assert.equal(usage.postgres, 30);
  const cores = navigator.hardwareConcurrency || 1;
  assert.equal(usage.machine, Math.round(0.75 * cores * 100));
});

Deno.test("restarted() names servers whose oldest process changed", () => {
  assert.deepEqual(
    restarted({ postgres: 5, redis: 6, mongo: 7 }, { postgres: 5, redis: 60, elasticsearch: 8 }),
    ["elasticsearch", "mongo", "redis"],
  );
  assert.deepEqual(restarted({ postgres: 5 }, { postgres: 5 }), []);
});
