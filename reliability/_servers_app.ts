import { REPO } from "./_process.ts";
import { ServerProcess, type Spawn } from "./_server_process.ts";

// ---- our own processes --------------------------------------------------------------------

/** What the API and the worker get from the environment (nothing else leaks in). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "LANG", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * `main.ts` (the API, healthy when GET /health answers) or `worker.ts` (healthy once it logs
 * that it started) as a subprocess of this Deno, with exactly the environment given.
 */
export class AppProcess extends ServerProcess {
  constructor(
    name: string,
    readonly entry: "main.ts" | "worker.ts",
    readonly env: Record<string, string>,
    logDir: string,
  ) {
    super(name, `${logDir}/${name}.log`);
    this.startTimeoutMs = 60_000;
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: Deno.execPath(),
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        `${REPO}/${this.entry}`,
      ],
      cwd: REPO,
      clearEnv: true,
      env: { ...baseEnv(), ...this.env },
    };
  }

  async healthy(): Promise<boolean> {
    if (this.entry === "worker.ts") {
      const log = await this.log();
      const lastStart = log.lastIndexOf("\n--- ");
      return log.slice(lastStart).includes('"sync worker starting"');
    }
    const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  }
}
