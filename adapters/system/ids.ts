import { encodeBase64Url } from "./_base64url.ts";
import type { IdGenerator } from "../../ports/ids.ts";

/** Random v4 UUIDs for ids; 256-bit base64url tokens. */
export class RandomIds implements IdGenerator {
  id(): string {
    return crypto.randomUUID();
  }

  token(): string {
    return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  }
}
