/**
 * Keeps the API listening. Deno.serve's accept loop ends when accepting fails, for instance
 * with EMFILE once the process holds as many sockets as its file limit allows (10,000 clients
 * reconnecting after timeouts while the server still holds their old sockets). Its `finished`
 * promise then rejects: unhandled, that ended the process (exit 1); handled, the process kept
 * serving the connections it had but refused every new one. Here the listener is started again
 * after `retryMs`, and again until it starts, for as long as the process is not shutting down.
 */
import type { Logger } from "./ports/logger.ts";

/** What `Deno.serve` returns, as far as this needs it. */
export interface Listening {
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

export interface KeptListening {
  /** Stops accepting and drains the current listener; no restart after this. */
  shutdown(): Promise<void>;
  /** How many times the listener was started again. */
  readonly restarts: number;
}

/** Calls `start()` now (its error goes to the caller) and again whenever the listener dies. */
export function keepListening(
  start: () => Listening,
  logger: Logger,
  options: { retryMs?: number } = {},
): KeptListening {
  const retryMs = options.retryMs ?? 1_000;
  let stopping = false;
  let restarts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Listening | null = null;

  const again = () => {
    current = null;
    timer = setTimeout(attempt, retryMs);
  };
  const watch = (server: Listening) => {
    server.finished.then(() => {
      if (stopping || server !== current) return;
      logger.error("HTTP listener ended on its own; listening again", { retryMs });
      again();
    }, (error) => {
      if (stopping || server !== current) return;
      logger.error("HTTP listener failed; listening again", { error: String(error), retryMs });
      again();
    });
  };
  const attempt = () => {
    timer = undefined;
    if (stopping) return;
    try {
      current = start();
      restarts++;
      logger.info("HTTP listener started again", { restarts });
      watch(current);
    } catch (error) {
      logger.error("HTTP listener could not start; trying again", {
        error: String(error),
        retryMs,
      });
      again();
    }
  };

  current = start();
  watch(current);
  return {
    async shutdown() {
      stopping = true;
      clearTimeout(timer);
      await current?.shutdown();
    },
    get restarts() {
      return restarts;
    },
  };
}
