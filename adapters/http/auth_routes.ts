/** Registration, login and logout; the caller's profile and loyalty rank. */
import { type Context, Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { checkLoginRate } from "./_middleware.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { userJson } from "./_views.ts";
import { AuthResult, LoginRequest, Rank, RegisterRequest, User } from "./schemas/identity.ts";
import { MergeCartHeaders } from "./schemas/cart.ts";

const register = route({
  tag: "Auth",
  summary: "Create a customer account and open a session",
  description: "With `X-Cart-Token`, the guest cart is merged into the new account's cart " +
    "(`cartMerge`).",
  access: "public",
  headers: MergeCartHeaders,
  body: RegisterRequest,
  success: {
    status: 201,
    description: "The new account and its bearer token.",
    schema: AuthResult,
  },
  problems: ["email_taken", "weak_password"],
});

const login = route({
  tag: "Auth",
  summary: "Open a session",
  description: "Also limited per client address and email (stricter than the general limit). " +
    "With `X-Cart-Token`, the guest cart is merged into the account's cart (`cartMerge`): " +
    "quantities add up, capped at what is available; lines that cannot be sold are dropped.",
  access: "public",
  headers: MergeCartHeaders,
  body: LoginRequest,
  success: { status: 200, description: "The account and a new bearer token.", schema: AuthResult },
  problems: ["invalid_credentials"],
});

const logout = route({
  tag: "Auth",
  summary: "Revoke the bearer token used for this request",
  access: "user",
  success: { status: 204, description: "The token no longer authenticates." },
});

/**
 * Merges the guest cart of `X-Cart-Token` into the user's, once signed in: `{ cartMerge }`, or
 * nothing without the header. Never fails the sign-in (see `mergeGuestCart`).
 */
async function mergeGuestCart(c: Context<AppEnv>, useCases: UseCases, userId: string) {
  const cartToken = c.req.header("x-cart-token");
  if (cartToken === undefined) return {};
  return { cartMerge: await useCases.mergeGuestCart(userId, cartToken) };
}

export function authRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/register", register.guard, async (c) => {
      const body = await register.body(c);
      const { user, token } = await useCases.register(body);
      const cartMerge = await mergeGuestCart(c, useCases, user.id);
      return c.json({ user: userJson(user), token, ...cartMerge }, 201);
    })
    .post("/login", login.guard, async (c) => {
      const body = await login.body(c);
      await checkLoginRate(c, useCases, body.email);
      const { user, token } = await useCases.login(body);
      const cartMerge = await mergeGuestCart(c, useCases, user.id);
      return c.json({ user: userJson(user), token, ...cartMerge }, 200);
    })
    .post("/logout", logout.guard, async (c) => {
      await useCases.logout(principalOf(c));
      return c.body(null, 204);
    });
}

const me = route({
  tag: "Account",
  summary: "The caller's profile",
  access: "user",
  success: { status: 200, description: "The account.", schema: User },
});

const myRank = route({
  tag: "Account",
  summary: "The caller's loyalty rank and points",
  access: "user",
  success: {
    status: 200,
    description: "Rank (null before any purchase) and points.",
    schema: Rank,
  },
  problems: ["dependency_unavailable"],
});

export function meRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", me.guard, (c) => c.json(userJson(principalOf(c).user), 200))
    .get("/rank", myRank.guard, async (c) => {
      const { rank, score } = await useCases.customerRank(principalOf(c).user.id);
      return c.json({ rank, score }, 200);
    });
}
