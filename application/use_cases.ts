/**
 * Binds every use case to one set of ports. `main.ts` and tests build the ports; the HTTP
 * adapter receives the result and never sees an adapter. Each context binds its own use cases
 * (`application/<context>/bind.ts`); this file composes them with the cross-cutting ones.
 */
import type { IdempotencyScope, StoredResponse } from "../ports/idempotency.ts";
import type { Ports, Settings, Shared } from "./use_case_ports.ts";
import { bindAnalytics } from "./analytics/bind.ts";
import { bindCart } from "./cart/bind.ts";
import { bindCategories, bindProducts } from "./catalog/bind.ts";
import { bindCheckout } from "./checkout/bind.ts";
import { bindAddresses, bindIdentity } from "./identity/bind.ts";
import { bindInventory, shopperInventoryOf } from "./inventory/bind.ts";
import { bindOrdering } from "./ordering/bind.ts";
import { bindPayments } from "./payments/bind.ts";
import { bindReviews } from "./reviews/bind.ts";
import { bindSearch } from "./search/bind.ts";
import { bindShipping } from "./shipping/bind.ts";
import { bindSupport } from "./support/bind.ts";
import { bindTax } from "./tax/bind.ts";
import { bindVendors } from "./vendors/bind.ts";
import { checkRateLimit, FailOpenCounter, type RateLimitPolicy } from "./rate_limit.ts";
import { type IdempotentRun, runIdempotent } from "./idempotency.ts";
import { dutyHolders } from "./duties.ts";
import { dutyNames } from "./background_duties.ts";

export type { Ports, Settings } from "./use_case_ports.ts";

export function bindUseCases(p: Ports, settings: Settings) {
  const shared: Shared = { shopperInventory: shopperInventoryOf(p) };
  const failOpen = new FailOpenCounter();
  const limitDeps = { limiter: p.limiter, clock: p.clock, logger: p.logger, failOpen };

  return {
    settings,
    clock: p.clock,
    logger: p.logger,
    health: p.health,
    rateLimitFailOpen: failOpen,

    ...bindIdentity(p, settings),
    ...bindProducts(p, shared, settings),
    ...bindVendors(p, shared),
    ...bindCategories(p),
    ...bindCart(p, shared),
    ...bindReviews(p, settings),
    ...bindAddresses(p),
    ...bindShipping(p),
    ...bindTax(p),
    ...bindCheckout(p, shared),
    ...bindOrdering(p, settings),
    ...bindPayments(p),
    ...bindInventory(p),
    ...bindSearch(p, settings),
    ...bindAnalytics(p),
    ...bindSupport(p),

    /** Who holds each background duty's lease, as every instance sees it. */
    duties: () => dutyHolders(p, dutyNames(p.feeds)),

    checkRateLimit: (key: string, policy: RateLimitPolicy) =>
      checkRateLimit(limitDeps, key, policy),
    runIdempotent: (
      scope: IdempotencyScope,
      execute: (run: IdempotentRun) => Promise<StoredResponse>,
    ) => runIdempotent(p, scope, execute),
  };
}

export type UseCases = ReturnType<typeof bindUseCases>;
