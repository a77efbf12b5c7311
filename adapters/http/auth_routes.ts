/** Registration, login and logout; the caller's profile and loyalty rank. */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import { checkLoginRate } from "./_middleware.ts";
import { type AppEnv, principalOf, route } from "./_route.ts";
import { userJson } from "./_views.ts";
import { AuthResult, LoginRequest, Rank, RegisterRequest, User } from "./schemas/identity.ts";
import { UpdateProfileRequest } from "./schemas/reviews.ts";

const register = route({
  tag: "Auth",
  summary: "Create a customer account and open a session",
  access: "public",
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
  description: "Also limited per client address and email (stricter than the general limit).",
  access: "public",
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

export function authRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .post("/register", register.guard, async (c) => {
      const body = await register.body(c);
      const { user, token } = await useCases.register(body);
      return c.json({ user: userJson(user), token }, 201);
    })
    .post("/login", login.guard, async (c) => {
      const body = await login.body(c);
      await checkLoginRate(c, useCases, body.email);
      const { user, token } = await useCases.login(body);
      return c.json({ user: userJson(user), token }, 200);
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

const updateMe = route({
  tag: "Account",
  summary: "Change the caller's display name",
  description: "Reviews show the new name once the sync applies the change (the outbox row " +
    "written with it), within the sync's lag.",
  access: "user",
  body: UpdateProfileRequest,
  success: { status: 200, description: "The account after the change.", schema: User },
});

export function meRoutes(useCases: UseCases) {
  return new Hono<AppEnv>()
    .get("/", me.guard, (c) => c.json(userJson(principalOf(c).user), 200))
    .patch("/", updateMe.guard, async (c) => {
      const body = await updateMe.body(c);
      const user = await useCases.updateProfile(principalOf(c).user.id, body);
      return c.json(userJson(user), 200);
    })
    .get("/rank", myRank.guard, async (c) => {
      const { rank, score } = await useCases.customerRank(principalOf(c).user.id);
      return c.json({ rank, score }, 200);
    });
}
