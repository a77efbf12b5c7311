/**
 * CPU accounting from /proc, so each result says what was busy: per-process ticks grouped by
 * the server they belong to, the machine's total, which servers restarted, and waiting for a
 * quiet machine before a measurement.
 */
import { delay } from "./procs.ts";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux x86 and arm). */
const USER_HZ = 100;

export interface CpuSnapshot {
  readonly at: number;
  /** pid -> [group, utime + stime ticks, command line (shortened)] */
  readonly procs: ReadonlyMap<number, readonly [string, number, string?]>;
  /** Busy and total ticks of all cores (/proc/stat). */
  readonly busy: number;
  readonly total: number;
}

/**
 * Which group a process counts under: a role the bench gave its pid, else the server it
 * belongs to by name, else `other` (other users of the machine).
 */
export function classify(
  pid: number,
  comm: string,
  cmdline: string,
  roles: ReadonlyMap<number, string>,
): string {
  const role = roles.get(pid);
  if (role) return role;
  if (comm === "postgres" || cmdline.startsWith("postgres")) return "postgres";
  if (comm.startsWith("redis-server")) return "redis";
  if (comm === "java" || cmdline.includes("java")) {
    if (cmdline.includes("elasticsearch")) return "elasticsearch";
    if (cmdline.includes("mongo")) return "mongo";
  }
  return "other";
}

/** utime + stime from a /proc/<pid>/stat line (the command name may contain spaces). */
export function statTicks(stat: string): { comm: string; ticks: number } {
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  const comm = stat.slice(open + 1, close);
  const fields = stat.slice(close + 2).split(" ");
  // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
  return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
}

export async function cpuSnapshot(
  roles: ReadonlyMap<number, string>,
): Promise<CpuSnapshot> {
  const procs = new Map<number, readonly [string, number, string?]>();
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    try {
      const { comm, ticks } = statTicks(
        await Deno.readTextFile(`/proc/${pid}/stat`),
      );
      const cmdline = (await Deno.readTextFile(`/proc/${pid}/cmdline`))
        .replaceAll("\0", " ");
      procs.set(pid, [classify(pid, comm, cmdline, roles), ticks, (cmdline || comm).slice(0, 80)]);
    } catch {
      // exited meanwhile
    }
  }
  const cpu = (await Deno.readTextFile("/proc/stat")).split("\n")[0].split(
    /\s+/,
  ).slice(1)
    .map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { at: performance.now(), procs, busy: total - idle, total };
}

/** The busiest processes of group `other` between two snapshots, as `command (percent)`. */
export function busiestOthers(before: CpuSnapshot, after: CpuSnapshot, count = 3): string[] {
  const seconds = (after.at - before.at) / 1000;
  return [...after.procs].filter(([, [group]]) => group === "other")
    .map(([pid, [, ticks, command]]) => ({
      command: command?.trim() || String(pid),
      percent: ((ticks - (before.procs.get(pid)?.[1] ?? 0)) / USER_HZ / seconds) * 100,
    }))
    .filter((p) => p.percent >= 5)
    .sort((a, b) => b.percent - a.percent)
    .slice(0, count)
    .map((p) => `${p.command} (${Math.round(p.percent)}%)`);
}

/** CPU use between two snapshots: percent of one core per group, and `machine` for all. */
export function cpuUsage(
  before: CpuSnapshot,
  after: CpuSnapshot,
): Record<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const groups = new Map<string, number>();
  for (const [pid, [group, ticks]] of after.procs) {
    const start = before.procs.get(pid)?.[1] ?? 0;
    groups.set(group, (groups.get(group) ?? 0) + Math.max(0, ticks - start));
  }
  const out: Record<string, number> = {};
  for (const [group, ticks] of [...groups].sort((a, b) => b[1] - a[1])) {
    const percent = (ticks / USER_HZ / seconds) * 100;
    if (percent >= 0.5) out[group] = Math.round(percent);
  }
  const share = (after.busy - before.busy) /
    Math.max(1, after.total - before.total);
  const cores = navigator.hardwareConcurrency || 1;
  out.machine = Math.round(share * cores * 100);
  return out;
}

/** The oldest process of each database server group: a change means it restarted. */
export async function serverPids(): Promise<Record<string, number>> {
  const snapshot = await cpuSnapshot(new Map());
  const out: Record<string, number> = {};
  for (const [pid, [group]] of snapshot.procs) {
    if (group === "other") continue;
    if (out[group] === undefined || pid < out[group]) out[group] = pid;
  }
  return out;
}

/** Names of the servers whose oldest process changed between two `serverPids()`. */
export function restarted(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): string[] {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]).sort();
}

/**
 * Waits (up to `maxWaitMs`) until the whole machine is below `maxBusyPercent` of one core
 * over a one-second window, so another user's burst does not land in a measurement.
 * Returns the last measured busy percent.
 */
export async function waitForQuiet(maxWaitMs = 30_000, maxBusyPercent = 25): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = await cpuSnapshot(new Map());
    await delay(1_000);
    const busy = cpuUsage(before, await cpuSnapshot(new Map())).machine;
    if (busy <= maxBusyPercent || Date.now() >= deadline) return busy;
  }
}
