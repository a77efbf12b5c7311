/**
 * The API measured on one spec twice: with READ_REUSE_MS at its default (an identical read
 * answered within it is answered again) and with READ_REUSE_MS=0 (identical reads in flight
 * still share one load, nothing is kept after it). A scenario whose load repeats a handful of
 * reads judges the second side, since the first measures the reuse, and reports the first.
 */
import { type Ctx } from "./_harness.ts";
import { measureHttp } from "./_measure.ts";
import type { HttpSide, HttpSpec } from "./load.ts";

/**
 * Both sides, labelled `${label}, READ_REUSE_MS default` and `${label}, READ_REUSE_MS=0`; the
 * API is left restarted with its defaults, also when the second side fails.
 */
export async function measureWithAndWithoutReuse(
  ctx: Ctx,
  spec: HttpSpec,
  label: string,
  uses: readonly string[],
): Promise<{ reusing: HttpSide; noReuse: HttpSide }> {
  const { side: reusing } = await measureHttp(
    ctx,
    spec,
    `${label}, READ_REUSE_MS default`,
    ctx.api(),
    uses,
  );
  await ctx.restartApi({ READ_REUSE_MS: "0" });
  try {
    const { side: noReuse } = await measureHttp(
      ctx,
      spec,
      `${label}, READ_REUSE_MS=0`,
      ctx.api(),
      uses,
    );
    return { reusing, noReuse };
  } finally {
    // Whatever happened, the scenarios after this one run on the defaults.
    await ctx.restartApi({});
  }
}
