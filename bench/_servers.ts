/**
 * Starting what a scenario measures: the API as its deno.json task runs it, the hello servers
 * and the bench-only baseline servers, each pinned to the server core.
 */
import { apiEnv } from "./fixtures.ts";
import { type Proc, spawn, waitForHttp } from "./procs.ts";
import type { BenchSettings } from "./settings.ts";
import { BENCH, ROOT } from "./_harness.ts";

const DENO = Deno.execPath();

/**
 * The argv of deno.json task `name` (`start`, `worker`), so the bench runs what users run. A
 * task is a command string or `{ command, dependencies, description }`; either way it must be a
 * `deno run` command. Its `.ts` entry points become absolute under `root`, `deno` the binary.
 */
export function taskArgv(
  config: { tasks?: Record<string, unknown> },
  name: string,
  root: string,
  deno: string,
): string[] {
  const task = config.tasks?.[name];
  const command = typeof task === "string"
    ? task
    : typeof task === "object" && task !== null && "command" in task
    ? (task as { command: unknown }).command
    : undefined;
  if (typeof command !== "string" || !command.trim().startsWith("deno run ")) {
    throw new Error(
      `deno.json task ${name} is not a "deno run" command: ${JSON.stringify(task)}`,
    );
  }
  const [, ...args] = command.trim().split(/\s+/);
  return [deno, ...args.map((a) => (a.endsWith(".ts") && !a.startsWith("-") ? `${root}${a}` : a))];
}

export async function taskCommand(name: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  return taskArgv(config, name, ROOT, DENO);
}

export async function startApi(
  s: BenchSettings,
  extra: Record<string, string> = {},
): Promise<Proc> {
  const proc = spawn("api", withFdLimit(await taskCommand("start")), {
    cpu: s.serverCpu,
    env: apiEnv(s, extra),
    cwd: ROOT,
    // The whole log, where the tail of 200 lines is not enough to find why it failed.
    logFile: Deno.env.get("BENCH_API_LOG")?.trim() || undefined,
  });
  await waitForHttp(`http://127.0.0.1:${s.apiPort}/health`, proc);
  return proc;
}

export async function startHello(
  s: BenchSettings,
  mode: "hono" | "bare",
): Promise<Proc> {
  const proc = spawn(`hello (${mode})`, [
    DENO,
    "run",
    "--allow-net",
    `${BENCH}hello_server.ts`,
    mode,
    String(s.helloPort),
  ], { cpu: s.serverCpu, cwd: ROOT });
  await waitForHttp(`http://127.0.0.1:${s.helloPort}/hello`, proc);
  return proc;
}

export async function withProc<T>(
  start: Promise<Proc>,
  body: (p: Proc) => Promise<T>,
): Promise<T> {
  const proc = await start;
  try {
    return await body(proc);
  } finally {
    await proc.stop();
  }
}

/**
 * `argv` run with the soft file-descriptor limit raised to the hard one (the 10,000 users
 * scenario holds that many connections), through `sh`, which then becomes the program (same pid).
 */
export function withFdLimit(argv: readonly string[]): string[] {
  return ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...argv];
}

/** A bench-only baseline server (bench/baseline_server.ts) on the hello port, on the server core. */
export async function startBaseline(
  s: BenchSettings,
  args: readonly string[],
  probePath: string,
  env?: Record<string, string>,
): Promise<Proc> {
  const proc = spawn(`baseline (${args[0]})`, [
    DENO,
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-sys",
    `${BENCH}baseline_server.ts`,
    args[0],
    String(s.helloPort),
    ...args.slice(1),
  ], { cpu: s.serverCpu, cwd: ROOT, env });
  await waitForHttp(`http://127.0.0.1:${s.helloPort}${probePath}`, proc);
  return proc;
}
