/** Cross-cutting middleware: request ids, identity, client address, rate limits, body size. */
import type { Context, MiddlewareHandler, NotFoundHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConnInfo } from "hono/deno";
import { Unauthenticated } from "../../domain/errors.ts";
import type { UseCases } from "../../application/use_cases.ts";
import type { RateDecision } from "../../ports/rate_limiter.ts";
import type { AppEnv } from "./_route.ts";
import {
  MethodNotAllowed,
  Overloaded,
  PayloadTooLarge,
  problemOf,
  problemResponse,
  RateLimited,
  rateLimitHeaders,
  RouteNotFound,
} from "./problem.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Probes and documentation stay reachable however busy a client is. */
export const RATE_LIMIT_EXEMPT: ReadonlySet<string> = new Set([
  "/health",
  "/ready",
  "/openapi.json",
  "/docs",
]);

/** Probes answer however busy the process is: a balancer must tell busy from dead. */
export const ADMISSION_EXEMPT: ReadonlySet<string> = new Set(["/health", "/ready"]);

/** Methods that only read: everything else counts as a write for admission. */
const READ_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export interface AdmissionLimits {
  /** Requests handled at once. */
  readonly maxInFlight: number;
  /**
   * Of those, writes (POST, PUT, PATCH, DELETE) handled at once (absent: no separate limit). A
   * write holds its slot through several database round trips, many times longer than a read;
   * under a flood, writes alone could take every slot and starve the reads behind them.
   */
  readonly maxWritesInFlight?: number;
}

/**
 * Admission control: at most `maxInFlight` requests are handled at once, and of those at most
 * `maxWritesInFlight` writes; one more is answered 503 `overloaded` with `Retry-After` straight
 * away, before any round trip, instead of joining a queue that grows without bound (memory,
 * then timeouts for everyone). Probes are exempt.
 */
export function admission(limits: AdmissionLimits): MiddlewareHandler<AppEnv> {
  let inFlight = 0;
  let writesInFlight = 0;
  const maxWrites = limits.maxWritesInFlight ?? Infinity;
  return async (c, next) => {
    if (ADMISSION_EXEMPT.has(c.req.path)) return await next();
    if (inFlight >= limits.maxInFlight) throw new Overloaded(limits.maxInFlight, "requests");
    const write = !READ_METHODS.has(c.req.method);
    if (write && writesInFlight >= maxWrites) throw new Overloaded(maxWrites, "writes");
    inFlight++;
    if (write) writesInFlight++;
    try {
      await next();
    } finally {
      inFlight--;
      if (write) writesInFlight--;
    }
  };
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BEARER = /^Bearer +([\x21-\x7E]{1,1024}) *$/i;
const IP_TEXT = /^[0-9A-Fa-f:.]{2,45}$/;

/** Honours a sane incoming `X-Request-Id`, otherwise makes one; echoes it on every response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}

/**
 * The client address: the connection's peer, or, behind a trusted proxy, the last
 * `X-Forwarded-For` entry (the one our proxy appended; entries before it are client-supplied).
 * Absent under `app.request()`, where it is "unknown".
 */
export function clientAddress(options: { trustProxy: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("clientIp", addressOf(c, options.trustProxy));
    await next();
  };
}

function addressOf(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean)
      .at(-1);
    if (last && IP_TEXT.test(last)) return last;
  }
  try {
    const address = getConnInfo(c).remote.address;
    if (address) return address;
  } catch {
    // No connection info (app.request() in tests, or another runtime).
  }
  return "unknown";
}

/**
 * Resolves `Authorization: Bearer <token>` to the caller, when valid. Routes decide whether
 * they need one; an invalid token on a public route is treated as anonymous.
 */
export function identify(useCases: UseCases): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    c.set("credentialsSent", header !== undefined);
    c.set("identity", null);
    const token = header?.match(BEARER)?.[1];
    if (token && !RATE_LIMIT_EXEMPT.has(c.req.path)) {
      try {
        c.set("identity", await useCases.authenticate(token));
      } catch (error) {
        if (!(error instanceof Unauthenticated)) throw error;
      }
    }
    await next();
  };
}

function setRateHeaders(c: Context<AppEnv>, decision: RateDecision): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
}

/** One hit per request against `user:<id>` or `ip:<address>`; 429 once over the policy. */
export function rateLimit(useCases: UseCases): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (RATE_LIMIT_EXEMPT.has(c.req.path)) return await next();
    const identity = c.get("identity");
    const key = identity ? `user:${identity.user.id}` : `ip:${c.get("clientIp")}`;
    const decision = await useCases.checkRateLimit(key, useCases.settings.rateLimit);
    if (!decision.allowed) throw new RateLimited(decision);
    setRateHeaders(c, decision);
    await next();
    // A stricter limit (login) may already have set its own numbers; keep those.
    if (!c.res.headers.has("RateLimit-Limit")) {
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) {
        c.res.headers.set(name, value);
      }
    }
  };
}

/** The login limit, per client address and email, on top of the general one. */
export async function checkLoginRate(
  c: Context<AppEnv>,
  useCases: UseCases,
  email: string,
): Promise<void> {
  const key = `login:${c.get("clientIp")}:${email.trim().toLowerCase()}`;
  const decision = await useCases.checkRateLimit(key, useCases.settings.loginRateLimit);
  if (!decision.allowed) throw new RateLimited(decision);
  setRateHeaders(c, decision);
}

/** 413 over 1 MiB, whether the size is declared (Content-Length) or streamed (chunked). */
export function limitBody(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLarge(MAX_BODY_BYTES);
    },
  });
}

interface RoutePattern {
  readonly method: string;
  readonly pattern: RegExp;
}

function compile(path: string): RegExp {
  const source = path.split("/").map((segment) =>
    segment.startsWith(":")
      ? "[^/]+"
      : segment === "*"
      ? ".*"
      : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  ).join("/");
  return new RegExp(`^${source}$`);
}

/**
 * Unknown routes are 404; a known path asked with another method is 405 with `Allow`.
 * `routes` is read on first use, once every sub-app is mounted.
 */
export function notFound(
  routes: () => readonly { method: string; path: string }[],
): NotFoundHandler<AppEnv> {
  let patterns: RoutePattern[] | undefined;
  return (c) => {
    patterns ??= routes().filter((r) => r.method !== "ALL")
      .map((r) => ({ method: r.method, pattern: compile(r.path) }));
    const path = c.req.path;
    const allow = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
    if (allow.includes("GET") && !allow.includes("HEAD")) allow.push("HEAD");
    const error = allow.length > 0
      ? new MethodNotAllowed(c.req.method, allow.sort())
      : new RouteNotFound(c.req.method, path);
    return problemResponse(c, problemOf(error, path)!);
  };
}
