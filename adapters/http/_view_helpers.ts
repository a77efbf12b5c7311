/** What every view file shares: the schema-shaped return type and the date formatting. */
import type { z } from "zod";

/** What a mapper returns: exactly the output shape of its schema. */
export type Json<T extends z.ZodType> = z.output<T>;

/** Adapters that cache (Redis) may hand back strings where the domain says Date. */
export function iso(value: Date | string): string {
  return typeof value === "string" ? new Date(value).toISOString() : value.toISOString();
}

export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}
