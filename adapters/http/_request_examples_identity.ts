/** Request examples for accounts: sign-up, login, the profile and the address book. */
import type { BodyExample } from "./_request_examples.ts";

type Examples = Readonly<Record<string, Readonly<Record<string, BodyExample>>>>;

/** The account the register example creates and the login example opens a session for. */
const ADA = { email: "ada@example.com", password: "correct horse battery" };

/** Sign-up and login. */
export const AUTH_EXAMPLES: Examples = {
  "POST /auth/register": {
    customer: {
      summary: "A customer account",
      value: { ...ADA, displayName: "Ada Lovelace" },
    },
    guest: {
      summary: "Sign up with a guest cart's X-Cart-Token header: its lines are merged (cartMerge)",
      value: { email: "grace@example.com", password: "correct horse battery" },
    },
  },
  "POST /auth/login": {
    customer: { summary: "The account the register example creates", value: ADA },
  },
};

/** The signed-in customer's own profile. */
export const PROFILE_EXAMPLES: Examples = {
  "PATCH /me": {
    rename: {
      summary: "Change the name shown on your reviews",
      value: { displayName: "Ada L." },
    },
  },
};

/** The signed-in customer's address book. */
export const ADDRESS_EXAMPLES: Examples = {
  "POST /me/addresses": {
    home: {
      summary: "A default shipping and billing address in California",
      value: {
        name: "Ada Lovelace",
        line1: "1 Infinite Loop",
        city: "Cupertino",
        region: "CA",
        postalCode: "95014",
        country: "US",
        phone: "+1 408 555 0100",
        isDefaultShipping: true,
        isDefaultBilling: true,
      },
    },
  },
  "PATCH /me/addresses/:id": {
    line2: { summary: "Add a second line", value: { line2: "Building 2" } },
    billing: { summary: "Make it the default billing address", value: { isDefaultBilling: true } },
  },
};
