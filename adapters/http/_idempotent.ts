/** `Idempotency-Key` handling for the POST routes that move money or stock. */
import type { Context } from "hono";
import { fingerprintOf, type IdempotentRun } from "../../application/idempotency.ts";
import type { UseCases } from "../../application/use_cases.ts";
import type { StoredResponse } from "../../ports/idempotency.ts";
import type { AppEnv } from "./_route.ts";
import { PROBLEM_CONTENT_TYPE, storedProblem } from "./problem.ts";

export const REPLAYED_HEADER = "Idempotent-Replayed";

/**
 * Runs `execute` once per (user, key, request): a repeat of the same request answers the
 * stored status and body with `Idempotent-Replayed: true`. Client errors raised inside are
 * turned into their problem response before being stored, so they replay identically;
 * server-side failures are rethrown and leave the key free for a retry. Without a key,
 * `execute` simply runs, without a `run` to create under.
 */
export async function respondIdempotently(
  c: Context<AppEnv>,
  useCases: UseCases,
  input: { userId: string; key: string | undefined },
  execute: (run?: IdempotentRun) => Promise<StoredResponse>,
): Promise<Response> {
  if (input.key === undefined) return send(c, await execute(), false);
  const fingerprint = await fingerprintOf(c.req.method, c.req.path, await c.req.text());
  const outcome = await useCases.runIdempotent(
    { userId: input.userId, key: input.key, fingerprint },
    async (run) => {
      try {
        return await execute(run);
      } catch (error) {
        return storedProblem(error, c.req.path);
      }
    },
  );
  return send(c, outcome, outcome.replayed);
}

function send(c: Context<AppEnv>, response: StoredResponse, replayed: boolean): Response {
  if (replayed) c.header(REPLAYED_HEADER, "true");
  c.header(
    "Content-Type",
    response.status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json; charset=UTF-8",
  );
  // deno-lint-ignore no-explicit-any
  return c.body(JSON.stringify(response.body), response.status as any);
}
