/**
 * The HTTP adapter: one Hono app over the bound use cases. Sub-apps per area, mounted here;
 * cross-cutting middleware first; problem.ts answers every failure.
 */
import { Hono } from "hono";
import type { UseCases } from "../../application/use_cases.ts";
import {
  admission,
  clientAddress,
  identify,
  limitBody,
  notFound,
  rateLimit,
  requestId,
} from "./_middleware.ts";
import type { AppEnv } from "./_route.ts";
import { adminRoutes } from "./admin_routes.ts";
import { authRoutes, meRoutes } from "./auth_routes.ts";
import { addressesRoutes } from "./addresses_routes.ts";
import { cartRoutes } from "./cart_routes.ts";
import { adminShippingRoutes, cartCheckoutRoutes } from "./shipping_routes.ts";
import { adminTaxRoutes } from "./tax_routes.ts";
import { adminCategoriesRoutes, categoriesRoutes } from "./categories_routes.ts";
import { docsRoutes } from "./docs_routes.ts";
import { healthRoutes } from "./health_routes.ts";
import { leaderboardsRoutes } from "./leaderboards_routes.ts";
import { buildOpenApi } from "./openapi.ts";
import { ordersRoutes } from "./orders_routes.ts";
import { paymentsRoutes } from "./payments_routes.ts";
import { webhooksRoutes } from "./webhooks_routes.ts";
import { errorHandler } from "./problem.ts";
import { productsRoutes } from "./products_routes.ts";
import { searchRoutes } from "./search_routes.ts";
import { adminSupportRoutes } from "./support_routes.ts";
import { adminReviewsRoutes, reviewsRoutes } from "./reviews_routes.ts";
import { adminVendorsRoutes, vendorsRoutes } from "./vendors_routes.ts";

export interface AppOptions {
  /** Behind a reverse proxy: take the client address from `X-Forwarded-For`. */
  readonly trustProxy?: boolean;
  /** How long /ready waits for each dependency probe. */
  readonly readyTimeoutMs?: number;
  /** The general per-client rate limit (default on). Login throttling applies either way. */
  readonly rateLimit?: boolean;
  /** Requests handled at once before more are shed as 503 `overloaded` (default: no limit). */
  readonly maxInFlight?: number;
  /** Of those, writes handled at once (default: no separate limit). */
  readonly maxWritesInFlight?: number;
}

export function buildApp(useCases: UseCases, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let document: Record<string, unknown> | undefined;

  app.onError(errorHandler(useCases.logger));
  app.notFound(notFound(() => app.routes));

  app.use("*", requestId());
  // Either limit on its own applies: a writes limit without a request limit is still one.
  if (options.maxInFlight || options.maxWritesInFlight) {
    app.use(
      "*",
      admission({
        maxInFlight: options.maxInFlight || Infinity,
        maxWritesInFlight: options.maxWritesInFlight || undefined,
      }),
    );
  }
  app.use("*", clientAddress({ trustProxy: options.trustProxy ?? false }));
  app.use("*", identify(useCases));
  if (options.rateLimit ?? true) app.use("*", rateLimit(useCases));
  app.use("*", limitBody());

  app.route("/", healthRoutes(useCases, { readyTimeoutMs: options.readyTimeoutMs }));
  app.route("/", docsRoutes(() => document ??= buildOpenApi(app.routes)));
  app.route("/auth", authRoutes(useCases));
  app.route("/me/addresses", addressesRoutes(useCases));
  app.route("/me", meRoutes(useCases));
  app.route("/products", productsRoutes(useCases));
  app.route("/categories", categoriesRoutes(useCases));
  app.route("/vendors", vendorsRoutes(useCases));
  app.route("/cart", cartCheckoutRoutes(useCases));
  app.route("/cart", cartRoutes(useCases));
  app.route("/orders", ordersRoutes(useCases));
  app.route("/payments", paymentsRoutes(useCases));
  app.route("/webhooks", webhooksRoutes(useCases));
  app.route("/search", searchRoutes(useCases));
  app.route("/leaderboards", leaderboardsRoutes(useCases));
  app.route("/", reviewsRoutes(useCases));
  app.route("/admin/reviews", adminReviewsRoutes(useCases));
  app.route("/admin/categories", adminCategoriesRoutes(useCases));
  app.route("/admin/vendors", adminVendorsRoutes(useCases));
  app.route("/admin/shipping", adminShippingRoutes(useCases));
  app.route("/admin/tax", adminTaxRoutes(useCases));
  app.route("/admin", adminSupportRoutes(useCases));
  app.route("/admin", adminRoutes(useCases));
  return app;
}
