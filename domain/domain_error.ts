/**
 * The root of every typed domain failure and the types they share. It imports nothing, so the
 * per-context error files can extend it while errors.ts re-exports them (no import cycle).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** One field a catalog rule refused: `category`, `parent` or `attrs.<name>`. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}
