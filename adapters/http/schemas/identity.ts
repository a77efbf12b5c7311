import { z } from "zod";
import { CartMerge } from "./cart.ts";
import { MIN_PASSWORD_LENGTH, ROLES } from "../../../domain/identity/user.ts";
import { doc, isoDateTime, Label } from "./_common.ts";

// ---- Identity ----

export const Email = doc(z.email().max(254), { examples: ["ada@example.com"] });

export const RegisterRequest = doc(
  z.strictObject({
    email: Email,
    password: doc(z.string().min(MIN_PASSWORD_LENGTH).max(1024), {
      description: `At least ${MIN_PASSWORD_LENGTH} characters.`,
    }),
    displayName: Label(100).nullable().optional(),
  }),
  { id: "RegisterRequest" },
);

export const LoginRequest = doc(
  z.strictObject({
    email: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(1024),
  }),
  { id: "LoginRequest" },
);

export const User = doc(
  z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    createdAt: isoDateTime("When the account was created."),
  }),
  { id: "User" },
);

export const AuthResult = doc(
  z.object({
    user: User,
    token: doc(z.string(), {
      description: "Opaque bearer token: send it as `Authorization: Bearer <token>`.",
    }),
    cartMerge: CartMerge.optional(),
  }),
  { id: "AuthResult" },
);

export const Rank = doc(
  z.object({
    rank: z.int().min(1).nullable().describe("1 = most points; null before the first purchase."),
    score: z.int().min(0).describe("Loyalty points: one per whole dollar paid."),
  }),
  { id: "Rank" },
);
