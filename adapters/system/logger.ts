import type { LogFields, Logger } from "../../ports/logger.ts";

export type LogLevel = "info" | "warn" | "error";

export interface JsonLoggerOptions {
  /** Drop every entry (tests). */
  readonly silent?: boolean;
  /** Where a finished line goes; defaults to stdout for info, stderr for warn and error. */
  readonly write?: (level: LogLevel, line: string) => void;
  /** Source of the `time` field; defaults to the wall clock. */
  readonly now?: () => Date;
}

/** Field names whose values never reach the log, matched case-insensitively at any depth. */
const SECRET_FIELDS = new Set(["password", "passwordhash", "token", "authorization"]);
const REDACTED = "[REDACTED]";
const MAX_DEPTH = 8;

const encoder = new TextEncoder();

function defaultWrite(level: LogLevel, line: string): void {
  const bytes = encoder.encode(line + "\n");
  if (level === "info") Deno.stdout.writeSync(bytes);
  else Deno.stderr.writeSync(bytes);
}

/** Copies `value` into plain JSON data, redacting secret fields and breaking cycles. */
export function redact(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  seen.add(value);
  try {
    if (value instanceof Error) {
      const out: Record<string, unknown> = { name: value.name, message: value.message };
      if (value.stack) out.stack = value.stack;
      for (const [k, v] of Object.entries(value)) {
        out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : redact(v, seen, depth + 1);
      }
      if (value.cause !== undefined) out.cause = redact(value.cause, seen, depth + 1);
      return out;
    }
    if (Array.isArray(value)) return value.map((v) => redact(v, seen, depth + 1) ?? null);
    if (value instanceof Map) return redact(Object.fromEntries(value), seen, depth);
    if (value instanceof Set) return redact([...value], seen, depth);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : redact(v, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * One JSON object per line: `{"level","msg","time",...fields}`. Info goes to stdout, warn and
 * error to stderr. Fields named password, passwordHash, token or authorization are redacted.
 */
export class JsonLogger implements Logger {
  readonly #silent: boolean;
  readonly #write: (level: LogLevel, line: string) => void;
  readonly #now: () => Date;

  constructor(options: JsonLoggerOptions = {}) {
    this.#silent = options.silent ?? false;
    this.#write = options.write ?? defaultWrite;
    this.#now = options.now ?? (() => new Date());
  }

  info(message: string, fields?: LogFields): void {
    this.#log("info", message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log("warn", message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#log("error", message, fields);
  }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (this.#silent) return;
    const entry: Record<string, unknown> = { level, msg, time: this.#now().toISOString() };
    const extra = fields === undefined ? {} : redact(fields) as Record<string, unknown>;
    // A field cannot overwrite level, msg or time; it is kept under a `field_` prefix.
    for (const [k, v] of Object.entries(extra)) entry[k in entry ? `field_${k}` : k] = v;
    try {
      this.#write(level, JSON.stringify(entry));
    } catch {
      // Logging must never take the caller down.
    }
  }
}
