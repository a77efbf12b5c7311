/** One dependency's readiness probe; throws when it is not usable. */
export interface HealthCheck {
  readonly name: string;
  /** When false, the service still serves (degraded) while this dependency is down. */
  readonly critical: boolean;
  check(): Promise<void>;
}
