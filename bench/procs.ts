/**
 * Child processes of the bench (servers under test, load tools), pinned to a core with
 * `taskset`; CPU accounting is in cpu_accounting.ts.
 */

export interface Proc {
  readonly pid: number;
  readonly name: string;
  readonly status: Promise<Deno.CommandStatus>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(): string;
}

export interface SpawnOptions {
  readonly cpu?: string | null;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Keep stdout for the caller (`readLines`); otherwise it goes to the tail buffer. */
  readonly stdout?: "tail" | "piped";
  /** Also append every line it writes (stdout unless piped, and stderr) to this file. */
  readonly logFile?: string;
}

/** `cmd` pinned to `cpu` (when given), with stdout/stderr kept in a small tail buffer. */
export function spawn(
  name: string,
  cmd: readonly string[],
  options: SpawnOptions = {},
): Proc & { readonly stdout: ReadableStream<Uint8Array> | null } {
  const argv = options.cpu ? ["taskset", "-c", options.cpu, ...cmd] : [...cmd];
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const file = options.logFile
    ? Deno.openSync(options.logFile, { append: true, create: true })
    : null;
  const encoder = new TextEncoder();
  const keep = async (stream: ReadableStream<Uint8Array>) => {
    for await (
      const line of stream.pipeThrough(new TextDecoderStream()).pipeThrough(
        lineSplitter(),
      )
    ) {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      file?.writeSync(encoder.encode(line + "\n"));
    }
  };
  const drained = [keep(child.stderr)];
  let stdout: ReadableStream<Uint8Array> | null = null;
  if (options.stdout === "piped") stdout = child.stdout;
  else drained.push(keep(child.stdout));
  const status = child.status.then(async (s) => {
    await Promise.allSettled(drained);
    file?.close();
    return s;
  });
  let exited = false;
  status.finally(() => exited = true);
  return {
    pid: child.pid,
    name,
    status,
    stdout,
    tail: () => lines.slice(-40).join("\n"),
    async stop(graceMs = 10_000) {
      if (exited) return;
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }, graceMs);
      try {
        await status;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Splits a text stream into lines. */
export function lineSplitter(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}

/** Output of a command run to completion; throws with its output when it fails. */
export async function run(
  cmd: readonly string[],
  options: { env?: Record<string, string> } = {},
) {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(
      `${cmd.join(" ")} exited with ${out.code}:\n${stdout}\n${stderr}`,
    );
  }
  return { stdout, stderr };
}

/** Waits until `url` answers 2xx, or the process exits, or `timeoutMs` passes. */
export async function waitForHttp(
  url: string,
  proc: Proc,
  timeoutMs = 60_000,
): Promise<void> {
  let exited = false;
  proc.status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`${proc.name} exited before answering:\n${proc.tail()}`);
    }
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(
    `${proc.name} did not answer ${url} within ${timeoutMs} ms:\n${proc.tail()}`,
  );
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
