/** The prose of the OpenAPI document: its tags, its introduction and the problem types. */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../domain/pagination.ts";
import { MAX_BODY_BYTES } from "./_middleware.ts";
import { PROBLEMS } from "./problem.ts";

export const TAGS: readonly { name: string; description: string }[] = [
  { name: "Auth", description: "Accounts and sessions (opaque bearer tokens)." },
  { name: "Account", description: "The caller's own profile and loyalty standing." },
  { name: "Products", description: "Catalog browsing." },
  {
    name: "Categories",
    description: "The category tree, with attribute definitions inherited down the tree.",
  },
  {
    name: "Vendors",
    description: "Vendor profiles: flexible documents with category-specific `details`, " +
      "their products and a typo-tolerant vendor search.",
  },
  { name: "Cart", description: "One cart per user; lines expire 30 days after the last change." },
  { name: "Orders", description: "Orders reserve stock until paid or expired." },
  { name: "Payments", description: "Paying pending orders." },
  { name: "Search", description: "Full-text search, facets and suggestions." },
  { name: "Leaderboards", description: "Best sellers and loyal customers." },
  { name: "Admin", description: "Catalog, inventory, orders, analytics and search operations." },
  {
    name: "Support",
    description: "Finding orders and customers for the people who answer them (admins).",
  },
  { name: "Operations", description: "Probes and this reference." },
];

export const DESCRIPTION = [
  "JSON over HTTP. Authenticate with `Authorization: Bearer <token>` from register or login.",
  "Money is always integer cents with a currency (`priceCents`, `unitPriceCents`, " +
  "`totalCents`; the /search `minPrice` and `maxPrice` filters are cents too). Times are ISO " +
  "8601 strings in UTC.",
  `Lists take \`page\` (from 1) and \`size\` (1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}) ` +
  "and answer `{items, page, size, total}`.",
  "Errors are RFC 9457 `application/problem+json`; `type` links to the problem's entry in " +
  "this reference. Invalid input is 400 with `errors: [{path, message}]`.",
  "Input is strict: a query parameter a route does not declare, or a body field its schema " +
  "does not name (at any depth), is 400 naming it; an empty `Idempotency-Key` is 400; a " +
  "body must be sent as `application/json` (parameters such as `charset`, and " +
  "`application/*+json`, are fine), anything else, or a body without `Content-Type`, is 415.",
  "Every response carries `X-Request-Id`. Requests are rate limited per user (per client " +
  "address when anonymous); responses carry `RateLimit-Limit`, `RateLimit-Remaining` and " +
  "`RateLimit-Reset` (seconds), and 429 adds `Retry-After`. /health, /ready, /openapi.json " +
  `and /docs are not limited. Bodies over ${MAX_BODY_BYTES} bytes are 413. When the server ` +
  "already handles its limit of requests (or, for a write, of writes) at once, any route but " +
  "/health and /ready answers 503 " +
  "`overloaded` with `Retry-After` at once; retry after that many seconds.",
  "`POST /orders` and `POST /payments` honour `Idempotency-Key`.",
].join("\n\n");

/**
 * One heading per problem code, so a problem's `type` (`/docs#problem-<code>`) has an entry in
 * the reference (/docs/page.js sends that anchor to the heading's).
 */
export const PROBLEM_TYPES = [
  "## Problem types",
  "Every error is `application/problem+json` with `type`, `title`, `status`, `detail` and " +
  "`instance`; `type` is `/docs#problem-<code>`, one of:",
  ...Object.entries(PROBLEMS).map(([code, p]) =>
    // Spaces for `_` in the heading: its anchor is the same, and the sidebar would read
    // `route_not_found` as emphasis.
    `### Problem: ${code.replaceAll("_", " ")}\n\n\`${code}\`: status ${p.status}, ${p.title}.`
  ),
].join("\n\n");
