/**
 * Counting Redis round trips: `MONITOR` prints every command a client sends (commands run
 * inside Lua scripts show up with source `lua` and are not round trips). The bench watches
 * while it sends a known number of requests and divides.
 */
import { delay, lineSplitter, spawn } from "./procs.ts";

export interface MonitorEntry {
  readonly db: number;
  readonly source: string;
  readonly args: readonly string[];
}

/** One MONITOR line: `1700000000.123456 [9 127.0.0.1:5555] "evalsha" "ab12" "1" "key"`. */
export function parseMonitorLine(line: string): MonitorEntry | null {
  const match = /^\d+\.\d+ \[(\d+) ([^\]]+)\] (.*)$/.exec(line.trim());
  if (!match) return null;
  const args = [...match[3].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    m[1].replace(/\\(.)/g, "$1")
  );
  return { db: Number(match[1]), source: match[2], args };
}

/**
 * What a client command was for, by the first key it names under the adapters' prefix:
 * `limiter` (rate:), `product cache` (product:, product-slug:), `cart` (cart:), or the
 * command name.
 */
export function purposeOf(entry: MonitorEntry): string {
  const command = entry.args[0]?.toLowerCase() ?? "";
  let key: string | undefined;
  if (command === "evalsha" || command === "eval") {
    key = Number(entry.args[2]) > 0 ? entry.args[3] : undefined;
  } else key = entry.args[1];
  if (key?.includes(":rate:")) return `limiter ${command}`;
  if (key?.includes(":product:") || key?.includes(":product-slug:")) {
    return `product cache ${command}`;
  }
  if (key?.includes(":cart:")) return `cart ${command}`;
  return command;
}

/** Client commands (no `lua` ones) on database `db`, counted by purpose. */
export function countRoundTrips(
  lines: readonly string[],
  db: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const entry = parseMonitorLine(line);
    if (!entry || entry.db !== db || entry.source === "lua") continue;
    const purpose = purposeOf(entry);
    counts[purpose] = (counts[purpose] ?? 0) + 1;
  }
  return counts;
}

/** Runs `action` while `redis-cli MONITOR` watches; returns the commands seen on `db`. */
export async function monitorWhile(
  redisUrl: string,
  db: number,
  action: () => Promise<void>,
): Promise<Record<string, number>> {
  const url = new URL(redisUrl);
  const proc = spawn("redis-cli monitor", [
    "redis-cli",
    "-h",
    url.hostname,
    "-p",
    url.port || "6379",
    ...(url.password ? ["-a", decodeURIComponent(url.password), "--no-auth-warning"] : []),
    "monitor",
  ], { stdout: "piped" });
  const lines: string[] = [];
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => ready = resolve);
  const reading = (async () => {
    for await (
      const line of proc.stdout!.pipeThrough(new TextDecoderStream())
        .pipeThrough(lineSplitter())
    ) {
      if (line.trim() === "OK") ready();
      else lines.push(line);
    }
  })();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-cli monitor did not start:\n${proc.tail()}`)),
        5_000,
      );
      started.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    await action();
    await delay(300); // let the last lines arrive
  } finally {
    await proc.stop(2_000);
    await reading.catch(() => {});
  }
  return countRoundTrips(lines, db);
}
