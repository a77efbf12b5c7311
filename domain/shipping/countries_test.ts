import assert from "node:assert/strict";
import { COUNTRY_CODES, isCountryCode } from "./countries.ts";

Deno.test("isCountryCode() accepts assigned ISO 3166-1 alpha-2 codes only", () => {
  for (const code of ["US", "DE", "GB", "FR", "JP", "BR", "ZA", "AX"]) {
    assert.ok(isCountryCode(code), code);
  }
  for (const code of ["XX", "UK", "EU", "de", "D", "DEU", "", "ZZ"]) {
    assert.ok(!isCountryCode(code), code);
  }
  assert.equal(COUNTRY_CODES.size, 249);
});
