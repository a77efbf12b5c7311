/** Liveness and readiness probes. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import type { HealthCheck } from "../../ports/health.ts";
import { type AppEnv, route } from "./_route.ts";
import { type CheckOutcome, NotReady } from "./problem.ts";
import { Health, Readiness } from "./schemas/health.ts";

/** A probe slower than this counts as down. */
export const READY_TIMEOUT_MS = 2_000;

const health = route({
  tag: "Operations",
  summary: "Liveness: the process answers",
  access: "public",
  success: { status: 200, description: "Alive.", schema: Health },
});

const ready = route({
  tag: "Operations",
  summary: "Readiness: every critical dependency answers",
  description: "Runs each dependency's probe with a timeout. 200 while every critical one is " +
    "up (`degraded` when a non-critical one, such as the cache or search, is down); 503 " +
    "otherwise, with the same per-dependency list under `checks`.",
  access: "public",
  success: { status: 200, description: "Ready to serve.", schema: Readiness },
  problems: ["not_ready"],
});

async function probe(check: HealthCheck, timeoutMs: number): Promise<CheckOutcome> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
  });
  let status: CheckOutcome["status"] = "ok";
  try {
    await Promise.race([check.check(), timeout]);
  } catch {
    status = "down";
  } finally {
    clearTimeout(timer);
  }
  return {
    name: check.name,
    critical: check.critical,
    status,
    latencyMs: Math.round(performance.now() - started),
  };
}

export function healthRoutes(useCases: UseCases, options: { readyTimeoutMs?: number } = {}) {
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  return new Hono<AppEnv>()
    .get("/health", health.guard, (c) => c.json({ status: "ok" as const }, 200))
    .get("/ready", ready.guard, async (c) => {
      const checks = await Promise.all(useCases.health.map((check) => probe(check, timeoutMs)));
      const down = checks.filter((check) => check.status === "down");
      if (down.length > 0) {
        useCases.logger.warn("readiness: dependencies down", { down: down.map((d) => d.name) });
      }
      if (down.some((check) => check.critical)) throw new NotReady(checks);
      return c.json(
        { status: down.length > 0 ? "degraded" as const : "ready" as const, checks },
        200,
      );
    });
}
