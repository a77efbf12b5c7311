export interface IdGenerator {
  /** A new unique id (UUID in production). */
  id(): string;
  /** A new unguessable opaque token (>= 256 bits of randomness in production). */
  token(): string;
}
