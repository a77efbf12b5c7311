/**
 * One server the reliability suite runs as a child process (`ServerProcess`: start until
 * healthy, graceful stop, crash-kill with every descendant, restart) and the bookkeeping of
 * every pid it started: a pid file, a watchdog outside this process, SIGINT/SIGTERM hooks.
 */

import { commandLine, delay, descendantsOf, processTable, signal } from "./_process.ts";

const encoder = new TextEncoder();

// ---- pid bookkeeping ----------------------------------------------------------------------

const live = new Set<ServerProcess>();
let pidFile: string | null = null;

function savePids(): void {
  if (!pidFile) return;
  const pids = [...live].flatMap((s) => s.pids());
  try {
    Deno.writeTextFileSync(pidFile, JSON.stringify(pids));
  } catch {
    // the log directory is gone: nothing to remember
  }
}

/**
 * Remembers started pids in `file`. When the file exists (a run that crashed before its
 * cleanup), kills those pids first, if they still run a command that mentions a marker.
 */
export function trackPids(file: string, markers: readonly string[]): number {
  pidFile = file;
  let killed = 0;
  try {
    const pids = JSON.parse(Deno.readTextFileSync(file)) as number[];
    for (const pid of pids) {
      try {
        const cmdline = commandLine(pid);
        if (cmdline !== null && markers.some((marker) => cmdline.includes(marker))) {
          signal(pid, "SIGKILL");
          killed++;
        }
      } catch {
        // not running any more
      }
    }
  } catch {
    // no leftovers
  }
  Deno.writeTextFileSync(file, "[]");
  startWatchdog(file, markers);
  return killed;
}

/**
 * A watchdog outside this process: once this Deno is gone, whatever the way (`deno test` ends
 * on Ctrl-C without running our `finally`, or it is killed), it SIGKILLs every pid still
 * listed in the pid file whose command mentions a marker. Started once, with `trackPids`.
 */
function startWatchdog(file: string, markers: readonly string[]): void {
  const script = `
    owner=$1; file=$2; shift 2
    while kill -0 "$owner" 2>/dev/null; do sleep 1; done
    for pid in $(tr '[],' '   ' < "$file" 2>/dev/null); do
      args=$(ps -o args= -p "$pid" 2>/dev/null) || continue
      for marker in "$@"; do
        case "$args" in *"$marker"*) kill -9 "$pid" 2>/dev/null; break ;; esac
      done
    done`;
  const child = new Deno.Command("bash", {
    args: ["-c", script, "watchdog", String(Deno.pid), file, ...markers],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
}

/** Kills every process this module started and has not seen exit. */
export async function killEverything(): Promise<void> {
  await Promise.allSettled([...live].map((s) => s.kill()));
}

let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      console.error(`\n${sig}: killing the reliability suite's servers`);
      for (const server of live) {
        for (const pid of server.pids()) signal(pid, "SIGKILL");
      }
      Deno.exit(130);
    });
  }
}

// ---- one server process -------------------------------------------------------------------

export interface Spawn {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly clearEnv?: boolean;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * A server we run as a child process, its stdout and stderr appended to `logFile`.
 * `start()` returns once `healthy()` answers; `stop()` asks it to shut down (its own graceful
 * signal) and waits; `kill()` SIGKILLs it and every descendant (a crash).
 */
export abstract class ServerProcess {
  #child: Deno.ChildProcess | null = null;
  #exit: Promise<Deno.CommandStatus> | null = null;
  #exited = false;
  /** How many times it was started. */
  starts = 0;

  protected constructor(readonly name: string, readonly logFile: string) {}

  protected abstract spawnSpec(): Spawn | Promise<Spawn>;
  abstract healthy(): Promise<boolean>;
  protected startTimeoutMs = 60_000;
  protected stopSignal: Deno.Signal = "SIGTERM";
  protected beforeStart(): Promise<void> {
    return Promise.resolve();
  }
  /** The process to signal: the child, unless the real server is a descendant. */
  protected serverPid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null && !this.#exited;
  }

  /** The pid of the spawned process (null when not running). */
  get pid(): number | null {
    return this.running ? this.#child!.pid : null;
  }

  pids(): number[] {
    if (!this.#child) return [];
    const root = this.#child.pid;
    return [root, ...descendantsOf(root)];
  }

  /** Everything the process wrote so far (all its runs). */
  async log(): Promise<string> {
    try {
      return await Deno.readTextFile(this.logFile);
    } catch {
      return "";
    }
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    hookSignals();
    await this.beforeStart();
    const spec = await this.spawnSpec();
    const log = await Deno.open(this.logFile, { create: true, append: true, write: true });
    log.writeSync(encoder.encode(
      `\n--- ${new Date().toISOString()} start #${this.starts + 1}: ${spec.cmd} ${
        spec.args.join(" ")
      }\n`,
    ));
    const child = new Deno.Command(spec.cmd, {
      args: [...spec.args],
      env: spec.env,
      clearEnv: spec.clearEnv,
      cwd: spec.cwd,
      uid: spec.uid,
      gid: spec.gid,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.starts++;
    this.#child = child;
    this.#exited = false;
    live.add(this);
    savePids();
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) {
        let written = 0;
        while (written < chunk.length) written += log.writeSync(chunk.subarray(written));
      }
    };
    const pumps = [pump(child.stdout), pump(child.stderr)];
    this.#exit = child.status.then(async (status) => {
      await Promise.allSettled(pumps);
      log.close();
      this.#exited = true;
      live.delete(this);
      savePids();
      return status;
    });

    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.#exited) {
        throw new Error(`${this.name} exited while starting; see ${this.logFile}`);
      }
      if (await this.healthy().catch(() => false)) {
        savePids(); // now with the descendants (the Elasticsearch server JVM, backends)
        return;
      }
      await delay(200);
    }
    await this.kill();
    throw new Error(
      `${this.name} not healthy after ${this.startTimeoutMs} ms; see ${this.logFile}`,
    );
  }

  async #waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.#exit) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.#exit.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Graceful shutdown; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    signal(this.serverPid(), this.stopSignal);
    if (!(await this.#waitExit(timeoutMs))) await this.kill();
    this.#child = null;
  }

  /** SIGKILL to the process and all its descendants: a crash. */
  async kill(): Promise<void> {
    if (!this.#child) return;
    const pids = this.pids();
    const server = this.serverPid();
    if (server !== null && !pids.includes(server)) pids.push(server, ...descendantsOf(server));
    for (const pid of pids) signal(pid, "SIGKILL");
    await this.#waitExit(15_000);
    // Descendants reparented elsewhere may outlive the child for a moment.
    for (let i = 0; i < 50; i++) {
      const table = processTable();
      if (!pids.some((pid) => table.has(pid))) break;
      await delay(100);
    }
    this.#child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Waits until `healthy()` says false (a stop seen from outside). */
  async waitDown(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.healthy().catch(() => false))) return;
      await delay(100);
    }
    throw new Error(`${this.name} still answers after ${timeoutMs} ms`);
  }
}
