import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "../../ports/identity/password_hasher.ts";

export interface ScryptOptions {
  /** CPU/memory cost, a power of two. Default 16384; tests may use 1024. */
  readonly cost?: number;
  readonly blockSize?: number;
  readonly parallelization?: number;
}

const SALT_BYTES = 16;
const KEY_BYTES = 64;
// Bounds for parameters read back from a stored hash, so a tampered row cannot make verify
// allocate gigabytes or spin for minutes.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface Params {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function validParams({ N, r, p }: Params): boolean {
  return Number.isSafeInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0 &&
    Number.isSafeInteger(r) && r >= 1 && r <= MAX_R &&
    Number.isSafeInteger(p) && p >= 1 && p <= MAX_P;
}

function derive(password: string, salt: Buffer, length: number, params: Params): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, length, { ...params, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function parseInt10(text: string): number {
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
}

/** Stored as `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`. */
export class ScryptPasswordHasher implements PasswordHasher {
  readonly #params: Params;

  constructor(options: ScryptOptions = {}) {
    const params = {
      N: options.cost ?? 16384,
      r: options.blockSize ?? 8,
      p: options.parallelization ?? 1,
    };
    if (!validParams(params)) {
      throw new RangeError(`invalid scrypt parameters: ${JSON.stringify(params)}`);
    }
    this.#params = params;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, KEY_BYTES, this.#params);
    const { N, r, p } = this.#params;
    return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
  }

  /** False for a wrong password and for any hash this hasher cannot read. */
  async verify(password: string, hash: string): Promise<boolean> {
    const parts = hash.split("$");
    if (parts.length !== 6 || parts[0] !== "scrypt") return false;
    const [, n, r, p, saltText, keyText] = parts;
    const params = { N: parseInt10(n), r: parseInt10(r), p: parseInt10(p) };
    if (!validParams(params) || !B64.test(saltText) || !B64.test(keyText)) return false;
    const salt = Buffer.from(saltText, "base64");
    const expected = Buffer.from(keyText, "base64");
    if (salt.length < 8 || expected.length < 16 || expected.length > 128) return false;
    let actual: Buffer;
    try {
      actual = await derive(password, salt, expected.length, params);
    } catch {
      return false;
    }
    return timingSafeEqual(actual, expected);
  }
}
