import type { Logger } from "../ports/logger.ts";

/**
 * Runs a side effect that must not fail the caller (a cache, a leaderboard, clearing a cart
 * after a payment): retried a few times with backoff, then logged and dropped.
 */
export async function bestEffort(
  logger: Logger,
  what: string,
  effect: () => Promise<unknown>,
  attempts = 3,
  baseDelayMs = 50,
): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await effect();
      return true;
    } catch (error) {
      if (attempt === attempts) {
        logger.warn(`${what} failed; continuing without it`, { error: String(error), attempts });
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
  return false;
}
