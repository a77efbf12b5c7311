/**
 * Host and process helpers for the reliability suite's private servers: the repository and
 * cache paths, running a command to completion, free ports, the process table (`ps`), signals
 * and a raw TCP request/reply for health probes. No server knowledge here.
 */

export const REPO = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
export const CACHE = `${REPO}/.ci/cache`;

const decoder = new TextDecoder();

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion; throws with its output when it fails. */
export async function run(
  cmd: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    ...options,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${text}`);
  return text;
}

export async function userIds(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const uid = Number((await run("id", ["-u", name])).trim());
    const gid = Number((await run("id", ["-g", name])).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** The first port from `preferred` on that nothing listens on (127.0.0.1). */
export function freePort(preferred: number, avoid: ReadonlySet<number> = new Set()): number {
  for (let port = preferred; port < preferred + 200; port++) {
    if (avoid.has(port)) continue;
    try {
      const listener = Deno.listen({ hostname: "127.0.0.1", port });
      listener.close();
      return port;
    } catch {
      // taken
    }
  }
  throw new Error(`no free port in ${preferred}..${preferred + 199}`);
}

/** pid -> parent pid of every live process (from `ps`: reading /proc would need --allow-all). */
export function processTable(): Map<number, number> {
  const out = new Deno.Command("ps", { args: ["-e", "-o", "pid=,ppid=,stat="], stdout: "piped" })
    .outputSync();
  const table = new Map<number, number>();
  for (const line of decoder.decode(out.stdout).split("\n")) {
    const [pid, ppid, stat] = line.trim().split(/\s+/);
    // Zombies are dead already (their new parent just has not reaped them yet).
    if (stat?.startsWith("Z")) continue;
    if (/^\d+$/.test(pid ?? "") && /^\d+$/.test(ppid ?? "")) table.set(Number(pid), Number(ppid));
  }
  return table;
}

/** Every descendant of `root` (children, grandchildren, ...). */
export function descendantsOf(root: number, table = processTable()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of table) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export function isRunning(pid: number): boolean {
  return processTable().has(pid);
}

export function commandLine(pid: number): string | null {
  const out = new Deno.Command("ps", { args: ["-o", "args=", "-p", String(pid)], stdout: "piped" })
    .outputSync();
  return out.success ? decoder.decode(out.stdout).trim() : null;
}

export function signal(pid: number | null, sig: Deno.Signal): void {
  if (pid === null) return;
  try {
    Deno.kill(pid, sig);
  } catch {
    // already gone
  }
}

export async function tcpExchange(port: number, request: Uint8Array, timeoutMs = 2_000) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    await conn.write(request);
    const buffer = new Uint8Array(65536);
    const n = await conn.read(buffer);
    return n === null ? new Uint8Array() : buffer.subarray(0, n);
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}

/** The first 12 hex digits of the SHA-256 of `bytes`: names cache folders by what built them. */
export async function shortHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}
