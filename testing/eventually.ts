/** Retries `probe` until it returns true or `timeoutMs` passes; returns the time it took. */
export async function eventually(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${what}: not true within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
