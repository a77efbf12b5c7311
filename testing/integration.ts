/**
 * Integration suites read their server URL here. When it is unset the suite is registered as
 * ignored and we say so loudly, once per variable, so a green run cannot hide a skip.
 */
const warned = new Set<string>();

export function integrationUrl(variable: string): string | undefined {
  const value = Deno.env.get(variable);
  if (!value && !warned.has(variable)) {
    warned.add(variable);
    console.warn(
      `\n!!! ${variable} is not set: integration tests against the real server are SKIPPED.\n` +
        `!!! Set ${variable} (CI always does) to run them.\n`,
    );
  }
  return value || undefined;
}

/** A unique name for per-test databases, indices, key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
}
