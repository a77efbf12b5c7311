/**
 * How the processes (`main.ts`, `worker.ts`, `reindex.ts`, `seed.ts`) fail to start: one line
 * on stderr naming what to change, and exit code 1, instead of a stack trace.
 */
import { type Config, ConfigError } from "./config.ts";

/** A reason not to start that the operator can act on; its message is the whole report. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** The one line a failed start prints. */
export function startupFailureLine(process: string, error: unknown): string {
  const reason = error instanceof ConfigError || error instanceof StartupError
    ? error.message
    : `failed to start: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`;
  return `${process}: ${reason}`.replace(/\s*\n\s*/g, " ");
}

/** Runs a process's start-up; a failure prints one line and exits with code 1. */
export async function startProcess(process: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(startupFailureLine(process, error) + "\n"));
    Deno.exit(1);
  }
}

/**
 * Refuses to run a script whose only effect would land in the in-memory stand-ins (gone when
 * it exits): each named variable must be set.
 */
export function requireServers(
  config: Config,
  process: string,
  variables: readonly ("DATABASE_URL" | "MONGO_URL" | "ELASTICSEARCH_URL" | "REDIS_URL")[],
  purpose: string,
): void {
  const missing = variables.filter((v) => !config[v]);
  if (missing.length === 0) return;
  throw new StartupError(
    `REFUSING TO RUN: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set, ` +
      `so ${process} would ${purpose} a throwaway in-memory store that vanishes when it exits; ` +
      `set ${variables.join(" and ")} to the servers it should act on`,
  );
}

/** `Deno.serve` on `config.PORT`, turning a busy port into a one-line `StartupError`. */
export function servePort<T>(config: Config, serve: () => T): T {
  try {
    return serve();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new StartupError(
        `port ${config.PORT} is already in use: stop what listens there or set PORT to a free port`,
      );
    }
    throw error;
  }
}
