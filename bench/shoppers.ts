/**
 * The accounts of the 10,000 users scenario: one per simulated user, each signed in with its
 * own session, as real shoppers are. With the run's few shared accounts every cart grew to
 * hundreds of lines within a run, and every session and rate-limit key stayed hot in the API's
 * caches, neither of which a crowd of distinct shoppers does.
 */
import { parseConfig } from "../config.ts";
import { buildRuntime, settingsOf } from "../composition.ts";
import { bindIdentity } from "../application/identity/bind.ts";
import { JsonLogger } from "../adapters/system/logger.ts";
import { apiEnv } from "./fixtures.ts";
import type { BenchSettings } from "./settings.ts";

export const SHOPPER_PASSWORD = "bench-shopper-password";

/** Registrations in flight while seeding. */
const CONCURRENCY = 16;

/**
 * Registers `count` shoppers (`shopper-<i>@bench.invalid`, all with SHOPPER_PASSWORD) through
 * the register use case on the bench stores, and answers their session tokens. The password is
 * hashed once with the real hasher and that hash is stored for every account, so 10,000
 * accounts do not cost 10,000 scrypt runs; each can still log in.
 */
export async function registerShoppers(s: BenchSettings, count: number): Promise<string[]> {
  const config = parseConfig(apiEnv(s));
  const runtime = await buildRuntime(config, new JsonLogger({ silent: true }));
  try {
    const real = runtime.ports.hasher;
    const hash = await real.hash(SHOPPER_PASSWORD);
    const identity = bindIdentity(
      {
        ...runtime.ports,
        hasher: { hash: () => Promise.resolve(hash), verify: (p, h) => real.verify(p, h) },
      },
      settingsOf(config),
    );
    const tokens: string[] = new Array(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const { token } = await identity.register({
          email: `shopper-${i}@bench.invalid`,
          password: SHOPPER_PASSWORD,
        });
        tokens[i] = token;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return tokens;
  } finally {
    await runtime.close();
  }
}
