/**
 * The last line of defence of a long-running process (`main.ts`, `worker.ts`): an error that
 * escaped every `await` (a rejected promise nobody handled, a throw from a driver's socket
 * callback) would end the process with code 1 and take every in-flight request with it. Under
 * overload such strays come in bursts (timeouts firing everywhere at once), so each is logged
 * as an error, at most one line a second per kind with the count of those not logged, and the
 * process stays up. The bugs they reveal are fixed where they start; this only stops one from
 * killing the server.
 */
import type { Logger } from "./ports/logger.ts";

export interface GuardOptions {
  /** Where the events are dispatched (default `globalThis`). */
  readonly target?: EventTarget;
  readonly now?: () => number;
  readonly everyMs?: number;
}

export interface GuardCounts {
  unhandledRejections: number;
  uncaughtErrors: number;
}

/** Installs the listeners; returns the running counts and a function removing them. */
export function guardProcess(
  logger: Logger,
  options: GuardOptions = {},
): { counts: GuardCounts; remove: () => void } {
  const target = options.target ?? globalThis;
  const now = options.now ?? Date.now;
  const everyMs = options.everyMs ?? 1_000;
  const counts: GuardCounts = { unhandledRejections: 0, uncaughtErrors: 0 };
  const last = { unhandledRejections: -Infinity, uncaughtErrors: -Infinity };
  const suppressed = { unhandledRejections: 0, uncaughtErrors: 0 };

  const report = (kind: keyof GuardCounts, message: string, error: unknown) => {
    counts[kind]++;
    const at = now();
    if (at - last[kind] < everyMs) {
      suppressed[kind]++;
      return;
    }
    logger.error(message, {
      error: describe(error),
      total: counts[kind],
      suppressedSinceLastLine: suppressed[kind],
    });
    last[kind] = at;
    suppressed[kind] = 0;
  };
  const onRejection = ((event: PromiseRejectionEvent) => {
    event.preventDefault();
    report(
      "unhandledRejections",
      "unhandled promise rejection; the process stays up",
      event.reason,
    );
  }) as EventListener;
  const onError = ((event: ErrorEvent) => {
    event.preventDefault();
    report("uncaughtErrors", "uncaught error; the process stays up", event.error);
  }) as EventListener;
  target.addEventListener("unhandledrejection", onRejection);
  target.addEventListener("error", onError);
  return {
    counts,
    remove: () => {
      target.removeEventListener("unhandledrejection", onRejection);
      target.removeEventListener("error", onError);
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
