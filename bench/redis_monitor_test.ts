import assert from "node:assert/strict";
import { countRoundTrips, parseMonitorLine, purposeOf } from "./redis_monitor.ts";

const lines = [
  '1700000000.000001 [9 127.0.0.1:5001] "evalsha" "ab12" "1" "polycart:rate:ip:127.0.0.1" "17" "1000"',
  '1700000000.000002 [9 lua] "ZREMRANGEBYSCORE" "polycart:rate:ip:127.0.0.1" "-inf" "16"',
  '1700000000.000003 [9 127.0.0.1:5001] "evalsha" "cd34" "2" "polycart:product:100001" ' +
  '"polycart:product-slug:100001" "polycart:product:"',
  '1700000000.000004 [0 127.0.0.1:6001] "get" "someone-else"',
  '1700000000.000005 [9 127.0.0.1:5001] "hincrby" "polycart:cart:u1" "100001" "1"',
  '1700000000.000006 [9 127.0.0.1:5001] "ping"',
  "OK",
];

Deno.test("parseMonitorLine() reads database, source and arguments", () => {
  assert.deepEqual(parseMonitorLine('1.5 [9 lua] "GET" "a \\"quoted\\" key"'), {
    db: 9,
    source: "lua",
    args: ["GET", 'a "quoted" key'],
  });
  assert.equal(parseMonitorLine("OK"), null);
});

Deno.test("purposeOf() names a command by the key it touches", () => {
  assert.equal(purposeOf(parseMonitorLine(lines[0])!), "limiter evalsha");
  assert.equal(purposeOf(parseMonitorLine(lines[2])!), "product cache evalsha");
  assert.equal(purposeOf(parseMonitorLine(lines[4])!), "cart hincrby");
  assert.equal(purposeOf(parseMonitorLine(lines[5])!), "ping");
});

Deno.test("countRoundTrips() counts client commands of one database, not script internals", () => {
  assert.deepEqual(countRoundTrips(lines, 9), {
    "limiter evalsha": 1,
    "product cache evalsha": 1,
    "cart hincrby": 1,
    ping: 1,
  });
  assert.deepEqual(countRoundTrips(lines, 0), { get: 1 });
});
